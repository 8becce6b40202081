import { SimulatePrincipalPolicyCommand, type ContextEntry, type IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { clientsFor } from '../attach/aws-clients';
import type { CommandEnv } from '../invocation';
import type { ScopedRequirement } from '../policy/scope';
import { group, type CheckOutcome } from './check-project';

/** Context keys a requirement's condition asks for, as SimulatePrincipalPolicy context entries. */
function contextEntries(requirement: ScopedRequirement): ContextEntry[] {
  const entries: ContextEntry[] = [];
  for (const keys of Object.values(requirement.condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      const list = [values].flat();
      entries.push({
        ContextKeyName: key,
        ContextKeyValues: list,
        ContextKeyType: key === 'aws:CalledVia' ? 'stringList' : 'string',
      });
    }
  }
  return entries;
}

/** The IAM principal behind the caller: the user, or the role of an assumed-role session. */
export function principalArn(callerArn: string): string {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}

/** Up to this many actions per simulation call. */
const ACTIONS_PER_CALL = 50;

/**
 * Asks IAM whether the caller's effective permissions (all its policies, boundaries included)
 * allow each requirement, with iam:SimulatePrincipalPolicy on the caller's own ARN. Returns
 * the requirements IAM does not allow. Requirements on patterns are simulated on the pattern.
 */
export async function deniedByIam(
  requirements: readonly ScopedRequirement[],
  iam: IAMClient,
  sts: STSClient,
): Promise<ScopedRequirement[]> {
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  const principal = principalArn(caller.Arn ?? '');
  const groups = new Map<string, ScopedRequirement[]>();
  for (const r of requirements) {
    const key = `${r.resource}\n${JSON.stringify(r.condition ?? {})}`;
    const same = groups.get(key);
    if (same) same.push(r);
    else groups.set(key, [r]);
  }
  const denied: ScopedRequirement[] = [];
  for (const group of groups.values()) {
    const actions = [...new Set(group.map((r) => r.action))];
    for (let i = 0; i < actions.length; i += ACTIONS_PER_CALL) {
      const names = actions.slice(i, i + ACTIONS_PER_CALL);
      const decisions = new Map<string, string>();
      let marker: string | undefined;
      do {
        const page = await iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principal,
            ActionNames: names,
            ResourceArns: [group[0].resource],
            ContextEntries: contextEntries(group[0]),
            Marker: marker,
          }),
        );
        for (const result of page.EvaluationResults ?? [])
          decisions.set(result.EvalActionName ?? '', result.EvalDecision ?? '');
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      denied.push(...group.filter((r) => names.includes(r.action) && decisions.get(r.action) !== 'allowed'));
    }
  }
  return denied;
}

/**
 * The outcome with what IAM itself denies the caller (check --verify, the guard's verify
 * setting): the denied requirements replace the list of missing ones when there are any.
 */
export async function withIamVerdict(
  outcome: CheckOutcome,
  env: CommandEnv,
  profile?: string,
): Promise<CheckOutcome> {
  const { iam, sts } = await clientsFor(env, profile, outcome.result.context.region);
  const denied = await deniedByIam(outcome.result.requirements, iam, sts);
  return denied.length === 0 ? outcome : { ...outcome, status: 'missing', missing: group(denied) };
}
