import { LeastPrivilegeError, usageError } from '../errors';

/** The IAM identity the policies are attached to. */
export interface AttachTarget {
  readonly kind: 'user' | 'role' | 'group';
  readonly name: string;
}

/** What `sts:GetCallerIdentity` says, read: the target, or why there is none to change. */
export type CallerIdentity =
  | {
      readonly kind: 'target';
      readonly target: AttachTarget;
      readonly account: string;
      readonly partition: string;
    }
  | {
      readonly kind: 'identity-center';
      readonly permissionSet: string;
      readonly account: string;
      readonly partition: string;
    };

/**
 * Reads the caller's ARN: an IAM user, or the role behind an assumed-role session. IAM
 * Identity Center sessions assume `AWSReservedSSO_<permission set>_<id>` roles, which only the
 * permission set may change. The account root and federated users are refused.
 */
export function readCallerArn(arn: string): CallerIdentity {
  const match = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!match)
    throw new LeastPrivilegeError(
      'project',
      `Unexpected caller identity ${arn}.`,
      'Use an IAM user or role profile.',
    );
  const [, partition, , account, resource] = match;
  if (resource === 'root') {
    throw usageError(
      'The profile signs in as the account root user; policies cannot be attached to it.',
      'Use an IAM user or role profile, or choose a target with --user, --role or --group.',
    );
  }
  const user = /^user\/(?:.*\/)?([^/]+)$/.exec(resource);
  if (user) return { kind: 'target', target: { kind: 'user', name: user[1] }, account, partition };
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(resource);
  if (session) {
    const sso = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(session[1]);
    if (sso) return { kind: 'identity-center', permissionSet: sso[1], account, partition };
    return { kind: 'target', target: { kind: 'role', name: session[1] }, account, partition };
  }
  throw usageError(
    `Policies cannot be attached to ${arn}.`,
    'Use an IAM user or role profile, or choose a target with --user, --role or --group.',
  );
}

/** --user, --role or --group NAME: at most one. */
export function explicitTarget(options: {
  user?: string;
  role?: string;
  group?: string;
}): AttachTarget | undefined {
  const given = (['user', 'role', 'group'] as const).filter((kind) => options[kind] !== undefined);
  if (given.length > 1)
    throw usageError(
      'Give only one of --user, --role and --group.',
      'Choose the identity to attach the policies to.',
    );
  const kind = given[0];
  return kind ? { kind, name: options[kind] as string } : undefined;
}
