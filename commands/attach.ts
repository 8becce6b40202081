import { generatePolicies } from '../src/engine';
import {
  ATTACH_OPTIONS,
  booleanOption,
  checkOptions,
  generateOptions,
  type Command,
} from '../src/invocation';
import { writeOutputs } from '../src/outputs/write-outputs';

/**
 * The attach module pulls in the AWS SDK: required only when attach runs, never by generate or
 * the hook. The SDK's Node 20 deprecation warning would land in the user's output: it is off.
 */
export function loadAttach(): typeof import('../src/attach/attach-command') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return require('../src/attach/attach-command');
}

export const attach: Command = {
  name: 'attach',
  summary: "create or update the policies in IAM and attach them to the profile's identity",
  usage:
    'attach [--phases LIST] [--env NAME] [--yes] [--dry-run] [--profile NAME] [--user|--role|--group NAME]',
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
