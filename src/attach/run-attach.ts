import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { GenerateResult } from '../engine';
import { basePolicyName } from '../engine';
import { LeastPrivilegeError, usageError } from '../errors';
import type { CommandIo } from '../invocation';
import { partitionOf } from '../discovery/deployment-names';
import { policyFileText } from '../outputs/policy-files';
import { renderDocument } from '../policy/render';
import { explainAwsError } from './aws-errors';
import { formatPlan, summarizeChanges } from './describe';
import * as iamApi from './iam-api';
import { readCallerArn, type AttachTarget } from './identity';
import { documentHash, ownerTagValue, planChanges, POLICY_PATH, type Plan, type Step } from './plan';

export interface AttachOptions {
  /** Apply without asking. */
  readonly yes: boolean;
  /** Print the plan, change nothing. */
  readonly dryRun: boolean;
  /** --user, --role or --group; default: the caller's own identity. */
  readonly target?: AttachTarget;
  /** --force: change policies at our path and names that are not ours as they are (and tag them). */
  readonly force?: boolean;
  /** By policy ARN, the hash of what attach last wrote (the guard's state): a change made in IAM since is a conflict. */
  readonly written?: Readonly<Record<string, string>>;
}

export interface AttachDeps {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly io: CommandIo;
  /** Asks the user; resolves true to go ahead. */
  readonly confirm: (question: string) => Promise<boolean>;
  /** Called once the plan is accepted (asked, or --yes), before any change: the policy files are written then. */
  readonly beforeApply?: () => void;
  /** Told once the target has the policies (after changes, or when nothing needed changing), with what IAM now holds by ARN (documentHash). */
  readonly onApplied?: (target: AttachTarget, written: Record<string, string>) => void;
}

/**
 * Creates or updates this project's and env's policies in IAM and attaches them to the target,
 * after showing the plan and asking (unless --yes). Idempotent: a second run with the same
 * policies changes nothing; a run that stopped half-way is finished by the next one.
 */
export async function runAttach(
  result: GenerateResult,
  options: AttachOptions,
  deps: AttachDeps,
): Promise<number> {
  const { io } = deps;
  // Until the caller is known, the project's own account and partition go into the printed bootstrap policy.
  const project = { account: result.context.accountId, partition: partitionOf(result.context.region) };
  const caller = await aws(
    'reading the caller identity (sts:GetCallerIdentity)',
    () => deps.sts.send(new GetCallerIdentityCommand({})),
    project,
  );
  const identity = readCallerArn(caller.Arn ?? '');
  const where = { account: identity.account, partition: identity.partition };
  if (!options.target && identity.kind === 'identity-center') {
    for (const policy of result.policies) io.out(`# ${policy.name}\n${policyFileText(policy)}`);
    throw new LeastPrivilegeError(
      'usage',
      `The profile signs in through IAM Identity Center (permission set ${identity.permissionSet}); its role can only be changed through the permission set.`,
      `Ask an administrator to add the policies printed above to the permission set ${identity.permissionSet} as customer managed policies (create them in account ${identity.account} under path /amplify-least-privilege/) or as its inline policy.`,
    );
  }
  const target = options.target ?? (identity.kind === 'target' ? identity.target : undefined);
  if (!target) throw usageError('No identity to attach to.', 'Pass --user, --role or --group NAME.');

  const base = basePolicyName(result.context);
  const ours = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?$`);
  const state = await aws(
    'reading the current policies and attachments',
    () => iamApi.readIamState(deps.iam, target, (name) => ours.test(name)),
    where,
  );
  const tag = ownerTagValue(result.context);
  const plan = planChanges(result.policies, state, {
    tag,
    written: options.written,
    force: options.force === true,
  });
  io.err(formatPlan(plan, summarizeChanges(result.policies, state.ours), state.attachedQuota));
  if (!state.quotaKnown)
    io.err("  (the attachment quota could not be read; IAM's default of 10 is assumed)\n");
  if (plan.attachedAtMost > state.attachedQuota) {
    throw new LeastPrivilegeError(
      'limit',
      `The ${target.kind} ${target.name} would need ${plan.attachedAtMost} managed policies; its quota is ${state.attachedQuota}. Nothing was changed.`,
      'Detach managed policies it no longer needs (or ask AWS for a higher quota), then run attach again.',
    );
  }
  if (options.dryRun) {
    io.err('--dry-run: nothing was changed.\n');
    return 0;
  }
  if (plan.conflicts.length > 0 && options.force !== true) {
    throw new LeastPrivilegeError(
      'project',
      `${plan.conflicts.length} policy(ies) at our path and names are not this project's to change as they are (see above). Nothing was changed.`,
      "If they may be replaced, run attach again with --force: it changes them as planned and tags them as this project's. Otherwise rename or delete them in IAM first.",
    );
  }
  const written = Object.fromEntries(
    result.policies.map((policy) => [
      state.ours.find((p) => p.name === policy.name)?.arn ??
        `arn:${identity.partition}:iam::${identity.account}:policy${POLICY_PATH}${policy.name}`,
      documentHash(renderDocument(policy.document)),
    ]),
  );
  if (plan.steps.length === 0) {
    deps.beforeApply?.();
    deps.onApplied?.(target, written);
    return 0;
  }
  if (!options.yes && !(await deps.confirm(`Apply these changes to ${target.kind} ${target.name}?`))) {
    io.err('Nothing was changed.\n');
    return 1;
  }
  deps.beforeApply?.();
  await applyPlan(plan, result, deps, tag, where);
  deps.onApplied?.(target, written);
  io.err(
    `Done: ${plan.steps.length} change(s) applied; ${target.kind} ${target.name} now has ${result.policies.map((p) => p.name).join(', ')} attached.\n`,
  );
  return 0;
}

/** Runs the steps in order; each failure says which steps already ran, and a re-run finishes the job. */
async function applyPlan(
  plan: Plan,
  result: GenerateResult,
  { iam, io }: AttachDeps,
  tag: string,
  where: AccountWhere,
): Promise<void> {
  const created = new Map<string, string>();
  const description = `Least-privilege deploy policy for Amplify project ${result.context.projectName ?? '?'}, env ${result.context.envName ?? '?'} (amplify-least-privilege)`;
  for (const [index, step] of plan.steps.entries()) {
    await aws(
      `${describeStep(step)} (step ${index + 1} of ${plan.steps.length}; run attach again to finish)`,
      async () => {
        switch (step.kind) {
          case 'create':
            created.set(
              step.name,
              await iamApi.createPolicy(iam, step.name, step.document, description, tag),
            );
            break;
          case 'tag':
            await iamApi.tagPolicy(iam, step.arn, tag);
            break;
          case 'delete-version':
            await iamApi.deleteVersion(iam, step.arn, step.versionId);
            break;
          case 'new-version':
            await iamApi.createDefaultVersion(iam, step.arn, step.document);
            break;
          case 'attach':
            await iamApi.attach(iam, plan.target, step.arn ?? created.get(step.name) ?? '');
            break;
          case 'detach':
            await iamApi.detach(iam, plan.target, step.arn);
            break;
          case 'delete-policy':
            await iamApi.deletePolicy(iam, step.arn, step.versionIds);
            break;
        }
      },
      where,
    );
    io.err(`  done: ${describeStep(step)}\n`);
  }
}

const describeStep = (step: Step): string =>
  step.kind === 'delete-version'
    ? `deleting version ${step.versionId} of ${step.name}`
    : `${step.kind.replace('-', ' ')} ${step.name}`;

/** The account and partition the printed bootstrap policy names, when known. */
type AccountWhere = { readonly account?: string; readonly partition?: string };

async function aws<T>(doing: string, call: () => Promise<T>, where: AccountWhere): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainAwsError(err, doing, where.account, where.partition);
  }
}
