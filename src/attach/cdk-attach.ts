/**
 * attach for a CDK app (`generate --cdk-out DIR --attach`, `attach --cdk-out DIR`): the same
 * plan, ownership and apply as Gen 1 (run-attach.ts), over one set of policies per principal
 * and environment. The execution role's are created and updated only (`cdk bootstrap
 * --cloudformation-execution-policies` attaches them to the role); the deployer's are attached
 * to the caller (or --user/--role/--group).
 */
import type { CdkGenerateResult, CdkTarget } from '../cdk-engine';
import { LeastPrivilegeError, usageError } from '../errors';
import type { CallerIdentity } from './identity';
import { cdkOwnerTagValue } from './plan';
import type { PolicySet } from './run-attach';

/** IAM's longest policy description. */
const MAX_DESCRIPTION = 1000;

/** The policy sets of a CDK app's documents, in the order of its targets (none for a target without documents). */
export function cdkPolicySets(result: CdkGenerateResult): PolicySet[] {
  const tag = cdkOwnerTagValue(result.assembly.appName);
  const plain = result.assembly.source === 'templates';
  return result.targets.map((target) => ({
    policies: target.result.policies,
    // policiesFor names the split documents base, base-2, base-3...
    baseName: target.result.policies[0]?.name ?? '',
    tag,
    description: description(result.assembly.appName, target, plain),
    attach: target.principal === 'deployer',
    title: `the ${plain ? 'CloudFormation service role' : 'CloudFormation execution role'}'s policies of ${target.stacks.join(', ')} in ${target.account ?? '<account>'}/${target.region ?? '<region>'}`,
  }));
}

function description(app: string, target: CdkTarget, plain: boolean): string {
  const who =
    target.principal === 'deployer'
      ? `Deployer (${plain ? 'aws cloudformation deploy' : 'cdk deploy'})`
      : plain
        ? 'CloudFormation service role'
        : 'CloudFormation execution role';
  const text = `${who} least-privilege policy of ${plain ? 'templates' : 'CDK app'} ${app} (${target.stacks.join(', ')}) in ${target.account ?? '*'}/${target.region ?? '*'} (amplify-least-privilege)`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 3)}...`;
}

/**
 * The account environment-agnostic stacks deploy to when attach runs: the caller's, where the
 * policies are created. `--account` naming another account is refused: the policies would
 * grant in one account and be created in another.
 */
export function accountForAttach(given: string | undefined, caller: CallerIdentity): string {
  if (given !== undefined && given !== caller.account)
    throw usageError(
      `--account ${given} is not the account of the credentials (${caller.account}); attach creates the policies in ${caller.account}.`,
      `Leave out --account (attach takes ${caller.account}), or use a profile of account ${given} (--profile NAME).`,
    );
  return caller.account;
}

/** Refuses stacks pinned to another account than the caller's, before IAM is read or changed. */
export function checkTargetAccounts(result: CdkGenerateResult, account: string): void {
  const elsewhere = result.targets.filter((t) => t.account !== undefined && t.account !== account);
  if (elsewhere.length === 0) return;
  const stacks = [...new Set(elsewhere.flatMap((t) => t.stacks))];
  const accounts = [...new Set(elsewhere.map((t) => t.account))];
  throw new LeastPrivilegeError(
    'usage',
    `${stacks.join(', ')} deploy(s) to account ${accounts.join(', ')}, but the credentials are in account ${account}. Nothing was changed.`,
    `Run attach with a profile of account ${accounts.join(' (then of ') + (accounts.length > 1 ? ')' : '')} (--profile NAME); generate --cdk-out without --attach writes the documents for any account.`,
  );
}
