import { loadAttach } from '../src/attach/lazy';
import { generatePolicies } from '../src/engine';
import {
  ATTACH_OPTIONS,
  CDK_OPTIONS,
  cdkOptions,
  checkOptions,
  generateOptions,
  type Command,
} from '../src/invocation';
import { commitOutputs, planOutputs } from '../src/outputs/write-outputs';
import { loadGenerateCdk } from './generate';

export const attach: Command = {
  name: 'attach',
  summary:
    "create or update the policies in IAM and attach them to the profile's identity (CDK: the deployer's)",
  usage:
    'attach [--phases LIST] [--env NAME] [--yes] [--dry-run] [--force] [--profile NAME] [--user|--role|--group NAME]\n       attach --cdk-out DIR | --template FILE [--account ID] [--region NAME] [--phases LIST] [--yes] [--dry-run] [--force] [--profile NAME] [--user|--role|--group NAME]',
  options: {
    phases: 'LIST  as for generate',
    env: 'NAME  as for generate',
    'permissions-boundary': 'ARN  as for generate',
    ...ATTACH_OPTIONS,
    ...CDK_OPTIONS,
  },
  async run(invocation, env) {
    checkOptions(invocation, attach);
    // A CDK app: the deployer's policies attached, the execution role's created or updated (generate --cdk-out --attach).
    const cdk = cdkOptions(invocation, env.cwd);
    if (cdk) return loadGenerateCdk()(cdk, false, undefined, env, invocation);
    const options = generateOptions(invocation, env.cwd);
    const attachModule = loadAttach();
    attachModule.attachRequest(invocation);
    const result = await generatePolicies(options);
    // Checked now, written only once the plan is accepted: the committed copy matches what is attached.
    const plan = planOutputs(result, options);
    for (const note of plan.notes) env.io.err(`note: ${note}\n`);
    return attachModule.attachPolicies(result, invocation, env, options, () => commitOutputs(plan));
  },
};
