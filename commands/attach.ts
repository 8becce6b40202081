import { loadAttach } from '../src/aws-modules';
import { generatePolicies } from '../src/engine';
import {
  ATTACH_OPTIONS,
  booleanOption,
  checkOptions,
  generateOptions,
  type Command,
} from '../src/invocation';
import { writeOutputs } from '../src/outputs/write-outputs';

export const attach: Command = {
  name: 'attach',
  summary: "create or update the policies in IAM and attach them to the profile's identity",
  usage:
    'attach [--phases LIST] [--env NAME] [--yes] [--dry-run] [--force] [--profile NAME] [--user|--role|--group NAME]',
  options: {
    phases: 'LIST  as for generate',
    env: 'NAME  as for generate',
    'permissions-boundary': 'ARN  as for generate',
    ...ATTACH_OPTIONS,
  },
  async run(invocation, env) {
    checkOptions(invocation, attach);
    const options = generateOptions(invocation, env.cwd);
    const result = await generatePolicies(options);
    // The committed copy matches what is attached: the files and the guard state are written first.
    const files = booleanOption(invocation, 'dry-run') ? [] : await writeOutputs(result, options);
    return loadAttach().attachPolicies(result, invocation, env, options, files);
  },
};
