import {
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type IAMClient,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { clientsFor } from '../aws/clients';
import { isAccessDenied } from '../aws/access-denied';
import { LeastPrivilegeError } from '../errors';
import type { CommandEnv } from '../invocation';
import type { Grant } from '../model';
import type { CheckOutcome } from './check-project';
import { group } from './missing';

/** Context keys a grant's condition asks for, as SimulatePrincipalPolicy context entries. */
function contextEntries(grant: Grant): ContextEntry[] {
  const entries: ContextEntry[] = [];
  for (const keys of Object.values(grant.condition ?? {})) {
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

/** The IAM principal behind the caller: the user, or the role of an assumed-role session (its ARN without the role's path). */
export function principalArn(callerArn: string): string {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}

/** The role behind an assumed-role session ARN; undefined for users. */
function sessionRole(callerArn: string): { partition: string; account: string; name: string } | undefined {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? { partition: session[1], account: session[2], name: session[3] } : undefined;
}

/**
 * The statement the caller needs for verify, exactly: simulation on its own ARN. A role's ARN
 * carries a path that its sessions do not show (IAM Identity Center roles live under
 * /aws-reserved/sso.amazonaws.com/), so a role gets its name with or without a path, and
 * iam:GetRole to find the path.
 */
export function verifyStatement(callerArn: string): Record<string, unknown> {
  const role = sessionRole(callerArn);
  if (!role) return { Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: callerArn };
  const arn = (path: string): string => `arn:${role.partition}:iam::${role.account}:role/${path}${role.name}`;
  return {
    Effect: 'Allow',
    Action: ['iam:GetRole', 'iam:SimulatePrincipalPolicy'],
    Resource: [arn(''), arn('*/')],
  };
}

function verifyNotAllowed(callerArn: string, err: unknown): LeastPrivilegeError {
  const role = sessionRole(callerArn);
  const sso = role && /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(role.name);
  const where = sso
    ? `Add it to the IAM Identity Center permission set ${sso[1]} (as an inline policy), or turn verify off.`
    : role
      ? `Add it to the role ${role.name} (or to the policy attached to it), or turn verify off (amplify least-privilege configure --no-verify).`
      : 'Generate again with verify on (it grants this to the user), or add it to the user; or turn verify off (amplify least-privilege configure --no-verify).';
  return new LeastPrivilegeError(
    'aws',
    `IAM refused to simulate the caller's own permissions (${(err as Error)?.name ?? 'AccessDenied'}). Verify needs this statement:\n${JSON.stringify(verifyStatement(callerArn), null, 2)}`,
    where,
    err,
  );
}

const errorName = (err: unknown): string => (err as { name?: string })?.name ?? '';
const NOT_FOUND = ['NoSuchEntity', 'NoSuchEntityException', 'InvalidInput', 'InvalidInputException'];

/** Up to this many actions per simulation call. */
const ACTIONS_PER_CALL = 50;

/**
 * Asks IAM whether the caller's effective permissions (all its policies, boundaries included)
 * allow each grant, with iam:SimulatePrincipalPolicy on the caller's own ARN: the user,
 * or the role behind a session (when IAM does not find the role by its path-less ARN, its real
 * ARN comes from iam:GetRole). Returns the grants IAM does not allow. Grants on patterns are
 * simulated on the pattern. Refused simulation says exactly what to grant.
 */
export async function deniedByIam(
  grants: readonly Grant[],
  iam: IAMClient,
  sts: STSClient,
): Promise<Grant[]> {
  const caller = (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  const role = sessionRole(caller);
  let principal = principalArn(caller);
  let resolved = role === undefined;
  const simulate = async (input: Omit<SimulatePrincipalPolicyCommandInput, 'PolicySourceArn'>) => {
    for (;;) {
      try {
        return await iam.send(new SimulatePrincipalPolicyCommand({ ...input, PolicySourceArn: principal }));
      } catch (err) {
        if (isAccessDenied(err)) throw verifyNotAllowed(caller, err);
        if (resolved || !role || !NOT_FOUND.includes(errorName(err))) throw err;
        resolved = true;
        try {
          principal = (await iam.send(new GetRoleCommand({ RoleName: role.name }))).Role?.Arn ?? principal;
        } catch (lookup) {
          throw isAccessDenied(lookup) ? verifyNotAllowed(caller, lookup) : lookup;
        }
      }
    }
  };
  const groups = new Map<string, Grant[]>();
  for (const r of grants) {
    const key = `${r.resource}\n${JSON.stringify(r.condition ?? {})}`;
    const same = groups.get(key);
    if (same) same.push(r);
    else groups.set(key, [r]);
  }
  const denied: Grant[] = [];
  for (const group of groups.values()) {
    const actions = [...new Set(group.map((r) => r.action))];
    for (let i = 0; i < actions.length; i += ACTIONS_PER_CALL) {
      const names = actions.slice(i, i + ACTIONS_PER_CALL);
      const decisions = new Map<string, string>();
      let marker: string | undefined;
      do {
        const page = await simulate({
          ActionNames: names,
          ResourceArns: [group[0].resource],
          ContextEntries: contextEntries(group[0]),
          Marker: marker,
        });
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
 * setting): the denied grants replace the list of missing ones when there are any.
 */
export async function withIamVerdict(
  outcome: CheckOutcome,
  env: CommandEnv,
  profile?: string,
): Promise<CheckOutcome> {
  const { iam, sts } = await clientsFor(env, profile, outcome.result.context.region);
  const denied = await deniedByIam(outcome.result.grants, iam, sts);
  return denied.length === 0
    ? outcome
    : { ...outcome, status: 'missing', missing: group(denied, outcome.result.inventory) };
}
