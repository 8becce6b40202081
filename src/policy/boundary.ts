import type { IamReference } from './iam-reference';
import type { ScopedRequirement } from './scope';
import { withStringEquals } from './statements';

/** The condition key IAM sets to the boundary a role has, or will have after the request. */
const BOUNDARY_KEY = 'iam:PermissionsBoundary';
/** Removing the boundary is how a role escapes it: never granted when the env has one. */
const REMOVES_BOUNDARY = 'iam:DeleteRolePermissionsBoundary';

export interface BoundaryResult {
  readonly requirements: ScopedRequirement[];
  /** Requirements dropped because they would take the boundary away. */
  readonly dropped: ScopedRequirement[];
}

/**
 * With a permissions boundary for the env (`amplify env update --permissions-boundary`, or
 * --permissions-boundary), every role action that supports `iam:PermissionsBoundary` (create a
 * role, change its policies or trust, set its boundary) is allowed only for that boundary, and
 * removing a boundary is not allowed at all: whatever the deployer creates stays inside it.
 */
export function requirePermissionsBoundary(
  requirements: readonly ScopedRequirement[],
  boundaryArn: string | undefined,
  iam: IamReference,
): BoundaryResult {
  if (!boundaryArn) return { requirements: [...requirements], dropped: [] };
  const kept: ScopedRequirement[] = [];
  const dropped: ScopedRequirement[] = [];
  for (const requirement of requirements) {
    if (requirement.action === REMOVES_BOUNDARY) {
      dropped.push(requirement);
    } else if (changesRole(requirement, iam)) {
      kept.push({
        ...requirement,
        condition: withStringEquals(requirement.condition, BOUNDARY_KEY, boundaryArn),
      });
    } else {
      kept.push(requirement);
    }
  }
  return { requirements: kept, dropped };
}

/** A write on a role that IAM can condition on the boundary (reads stay unconditioned: old roles may have none). */
function changesRole(requirement: ScopedRequirement, iam: IamReference): boolean {
  const info = iam.action(requirement.action);
  return (
    onRoles(requirement.resource) &&
    info !== undefined &&
    info.accessLevel !== 'Read' &&
    info.accessLevel !== 'List' &&
    info.conditionKeys.includes(BOUNDARY_KEY)
  );
}

const onRoles = (resource: string): boolean =>
  resource === '*' || /^arn:[^:]+:iam::[^:]*:role\//.test(resource);
