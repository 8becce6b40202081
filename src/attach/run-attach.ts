import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { GenerateResult } from '../engine';
import type { NamedPolicy } from '../model';
import { basePolicyName } from '../engine';
import { LeastPrivilegeError, usageError } from '../errors';
import type { CommandIo } from '../invocation';
import { partitionOf } from '../discovery/deployment-names';
import { policyFileText } from '../outputs/policy-files';
import { renderDocument } from '../policy/render';
import { explainAwsError } from './aws-errors';
import { formatPlan, summarizeChanges } from './describe';
import * as iamApi from './iam-api';
import { readCallerArn, type AttachTarget, type CallerIdentity } from './identity';
import {
  documentHash,
  ownerTagValue,
  planChanges,
  POLICY_PATH,
  type IamState,
  type Plan,
  type Step,
} from './plan';

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
  /** Told once the target has the policies (after changes, or when nothing needed changing), with what IAM now holds by ARN (documentHash); no target when no set is attached. */
  readonly onApplied?: (target: AttachTarget | undefined, written: Record<string, string>) => void;
}

/**
 * One set of documents attach manages: the policies, the names and tag that make them ours,
 * and whether they are attached to the target. A Gen 1 env has one set; a CDK app one per
 * principal and environment (the execution role's are created and updated only).
 */
export interface PolicySet {
  readonly policies: readonly NamedPolicy[];
  /** The first policy's name; ours are it and it-2, it-3... under POLICY_PATH. */
  readonly baseName: string;
  /** The owner tag's value (ownerTagValue). */
  readonly tag: string;
  /** The description IAM shows for the policies attach creates. */
  readonly description: string;
  /** Attach them to the target (the caller, or --user/--role/--group); false: create and update only. */
  readonly attach: boolean;
  /** What they are for, in the plan's heading when not attached. */
  readonly title?: string;
}

/** What attach did: the exit code and, by set, each policy's ARN (as created, or as it will be after a dry run). */
export interface AttachOutcome {
  readonly exitCode: number;
  readonly arns: ReadonlyArray<readonly string[]>;
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
  const { context } = result;
  const set: PolicySet = {
    policies: result.policies,
    baseName: basePolicyName(context),
    tag: ownerTagValue(context),
    description: `Least-privilege deploy policy for Amplify project ${context.projectName ?? '?'}, env ${context.envName ?? '?'} (amplify-least-privilege)`,
    attach: true,
  };
  const where = { account: context.accountId, partition: partitionOf(context.region) };
  return (await attachPolicySets([set], options, deps, where)).exitCode;
}

/** sts:GetCallerIdentity, read; `where`: the project's account and partition for the printed bootstrap policy. */
export async function readCaller(sts: STSClient, where: AccountWhere): Promise<CallerIdentity> {
  const caller = await aws(
    'reading the caller identity (sts:GetCallerIdentity)',
    () => sts.send(new GetCallerIdentityCommand({})),
    where,
  );
  return readCallerArn(caller.Arn ?? '');
}

/**
 * attach over several sets of policies at once: every set's plan is read and printed first,
 * and nothing changes unless every plan may run (no conflict without --force, the attachment
 * quota, the answer); then the sets are applied in order. `caller`: the identity when already
 * read (the CDK front end needs its account before generating).
 */
export async function attachPolicySets(
  sets: readonly PolicySet[],
  options: AttachOptions,
  deps: AttachDeps,
  project: AccountWhere,
  caller?: CallerIdentity,
): Promise<AttachOutcome> {
  const { io } = deps;
  // Until the caller is known, the project's own account and partition go into the printed bootstrap policy.
  const identity = caller ?? (await readCaller(deps.sts, project));
  const where = { account: identity.account, partition: identity.partition };
  const attaching = sets.filter((set) => set.attach);
  if (attaching.length > 0 && !options.target && identity.kind === 'identity-center') {
    for (const policy of attaching.flatMap((set) => set.policies))
      io.out(`# ${policy.name}\n${policyFileText(policy)}`);
    throw new LeastPrivilegeError(
      'usage',
      `The profile signs in through IAM Identity Center (permission set ${identity.permissionSet}); its role can only be changed through the permission set.`,
      `Ask an administrator to add the policies printed above to the permission set ${identity.permissionSet} as customer managed policies (create them in account ${identity.account} under path /amplify-least-privilege/) or as its inline policy.`,
    );
  }
  const target = options.target ?? (identity.kind === 'target' ? identity.target : undefined);
  if (attaching.length > 0 && !target)
    throw usageError('No identity to attach to.', 'Pass --user, --role or --group NAME.');

  const planned: Array<{ set: PolicySet; plan: Plan; state: IamState }> = [];
  for (const set of sets) {
    const ours = new RegExp(`^${set.baseName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?$`);
    const state = await aws(
      'reading the current policies and attachments',
      () => iamApi.readIamState(deps.iam, set.attach ? target : undefined, (name) => ours.test(name)),
      where,
    );
    const plan = planChanges(set.policies, state, {
      tag: set.tag,
      written: options.written,
      force: options.force === true,
    });
    // A set that is not attached: its policies now are what it loses or gains.
    const before = set.attach ? state.ours : state.ours.map((p) => ({ ...p, attached: true }));
    io.err(formatPlan(plan, summarizeChanges(set.policies, before), state.attachedQuota, 40, set.title));
    if (set.attach && !state.quotaKnown)
      io.err("  (the attachment quota could not be read; IAM's default of 10 is assumed)\n");
    planned.push({ set, plan, state });
  }
  const attached = planned.filter(({ set }) => set.attach);
  const attachedAtMost = attached.reduce(
    (sum, { plan, state }) => sum + plan.attachedAtMost - state.attachedCount,
    attached[0]?.state.attachedCount ?? 0,
  );
  const quota = attached[0]?.state.attachedQuota ?? Infinity;
  if (target && attachedAtMost > quota) {
    throw new LeastPrivilegeError(
      'limit',
      `The ${target.kind} ${target.name} would need ${attachedAtMost} managed policies; its quota is ${quota}. Nothing was changed.`,
      'Detach managed policies it no longer needs (or ask AWS for a higher quota), then run attach again.',
    );
  }
  const arnOf = (state: IamState, name: string): string =>
    state.ours.find((p) => p.name === name)?.arn ??
    `arn:${identity.partition}:iam::${identity.account}:policy${POLICY_PATH}${name}`;
  const arns = planned.map(({ set, state }) => set.policies.map((policy) => arnOf(state, policy.name)));
  if (options.dryRun) {
    io.err('--dry-run: nothing was changed.\n');
    return { exitCode: 0, arns };
  }
  const conflicts = planned.flatMap(({ plan }) => plan.conflicts);
  if (conflicts.length > 0 && options.force !== true) {
    throw new LeastPrivilegeError(
      'project',
      `${conflicts.length} policy(ies) at our path and names are not this project's to change as they are (see above). Nothing was changed.`,
      "If they may be replaced, run attach again with --force: it changes them as planned and tags them as this project's. Otherwise rename or delete them in IAM first.",
    );
  }
  const written = Object.fromEntries(
    planned.flatMap(({ set, state }) =>
      set.policies.map((policy) => [
        arnOf(state, policy.name),
        documentHash(renderDocument(policy.document)),
      ]),
    ),
  );
  const steps = planned.reduce((n, { plan }) => n + plan.steps.length, 0);
  if (steps === 0) {
    deps.beforeApply?.();
    deps.onApplied?.(target, written);
    return { exitCode: 0, arns };
  }
  const question = target
    ? `Apply these changes to ${target.kind} ${target.name}?`
    : 'Apply these changes to the policies?';
  if (!options.yes && !(await deps.confirm(question))) {
    io.err('Nothing was changed.\n');
    return { exitCode: 1, arns };
  }
  deps.beforeApply?.();
  let done = 0;
  for (const { set, plan } of planned) {
    await applyPlan(plan, set, deps, where, { done, total: steps });
    done += plan.steps.length;
  }
  deps.onApplied?.(target, written);
  const names = (attach: boolean): string =>
    planned
      .filter(({ set }) => set.attach === attach)
      .flatMap(({ set }) => set.policies.map((p) => p.name))
      .join(', ');
  const attachedText =
    target && attached.length > 0 ? `; ${target.kind} ${target.name} now has ${names(true)} attached` : '';
  const unattachedText = planned.some(({ set }) => !set.attach)
    ? `; up to date and attached to no one: ${names(false)}`
    : '';
  io.err(`Done: ${steps} change(s) applied${attachedText}${unattachedText}.\n`);
  return { exitCode: 0, arns };
}

/** Runs the steps in order; each failure says which steps already ran, and a re-run finishes the job. */
async function applyPlan(
  plan: Plan,
  set: PolicySet,
  { iam, io }: AttachDeps,
  where: AccountWhere,
  progress: { readonly done: number; readonly total: number },
): Promise<void> {
  const created = new Map<string, string>();
  for (const [index, step] of plan.steps.entries()) {
    await aws(
      `${describeStep(step)} (step ${progress.done + index + 1} of ${progress.total}; run attach again to finish)`,
      async () => {
        switch (step.kind) {
          case 'create':
            created.set(
              step.name,
              await iamApi.createPolicy(iam, step.name, step.document, set.description, set.tag),
            );
            break;
          case 'tag':
            await iamApi.tagPolicy(iam, step.arn, set.tag);
            break;
          case 'delete-version':
            await iamApi.deleteVersion(iam, step.arn, step.versionId);
            break;
          case 'new-version':
            await iamApi.createDefaultVersion(iam, step.arn, step.document);
            break;
          case 'attach':
            await iamApi.attach(iam, targetOf(plan), step.arn ?? created.get(step.name) ?? '');
            break;
          case 'detach':
            await iamApi.detach(iam, targetOf(plan), step.arn);
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

/** A plan attaches or detaches only when it has a target (planChanges). */
function targetOf(plan: Plan): AttachTarget {
  if (!plan.target) throw new Error('an attach step in a plan without target');
  return plan.target;
}

const describeStep = (step: Step): string =>
  step.kind === 'delete-version'
    ? `deleting version ${step.versionId} of ${step.name}`
    : `${step.kind.replace('-', ' ')} ${step.name}`;

/** The account and partition the printed bootstrap policy names, when known. */
export type AccountWhere = { readonly account?: string; readonly partition?: string };

async function aws<T>(doing: string, call: () => Promise<T>, where: AccountWhere): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainAwsError(err, doing, where.account, where.partition);
  }
}
