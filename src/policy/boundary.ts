import type { Grant, Requirement } from '../model';
import type { TrimmedAction } from '../requirements/trimming';
import { withStringEquals } from './conditions';
import type { IamReference } from './iam-reference';

/** The condition key IAM sets to the boundary a role has, or will have after the request. */
const BOUNDARY_KEY = 'iam:PermissionsBoundary';
/** Removing the boundary is how a role escapes it: never granted when the env has one. */
const REMOVES_BOUNDARY = 'iam:DeleteRolePermissionsBoundary';

export interface BoundaryResult {
  readonly grants: Grant[];
  /** Grants dropped because they would take the boundary away. */
  readonly dropped: Grant[];
}

/**
 * With a permissions boundary for the env (`amplify env update --permissions-boundary`, or
 * --permissions-boundary), every role action that supports `iam:PermissionsBoundary` (create a
 * role, change its policies or trust, set its boundary) is allowed only for that boundary, and
 * removing a boundary is not allowed at all: whatever the deployer creates stays inside it.
 */
export function requirePermissionsBoundary(
  grants: readonly Grant[],
  boundaryArn: string | undefined,
  iam: IamReference,
): BoundaryResult {
  if (!boundaryArn) return { grants: [...grants], dropped: [] };
  const kept: Grant[] = [];
  const dropped: Grant[] = [];
  for (const grant of grants) {
    if (grant.action === REMOVES_BOUNDARY) {
      dropped.push(grant);
    } else if (changesRole(grant, iam)) {
      kept.push({ ...grant, condition: withStringEquals(grant.condition, BOUNDARY_KEY, boundaryArn) });
    } else {
      kept.push(grant);
    }
  }
  return { grants: kept, dropped };
}

/** A write on a role that IAM can condition on the boundary (reads stay unconditioned: old roles may have none). */
function changesRole(grant: Grant, iam: IamReference): boolean {
  const info = iam.action(grant.action);
  return (
    onRoles(grant.resource) &&
    info !== undefined &&
    info.accessLevel !== 'Read' &&
    info.accessLevel !== 'List' &&
    info.conditionKeys.includes(BOUNDARY_KEY)
  );
}

const onRoles = (resource: string): boolean =>
  resource === '*' || /^arn:[^:]+:iam::[^:]*:role\//.test(resource);

/** One trimmed entry per resource and action the boundary pass left out (each origin group read once). */
export function boundaryTrims(dropped: readonly Grant[]): TrimmedAction[] {
  const trims = new Map<string, TrimmedAction>();
  const seen = new Set<readonly Requirement[]>();
  for (const grant of dropped)
    for (const group of grant.origins) {
      if (seen.has(group)) continue;
      seen.add(group);
      for (const { reason } of group) {
        const resourceType = reason.resourceType ?? '';
        const key = `${reason.resource}\n${resourceType}\n${grant.action}`;
        if (!trims.has(key))
          trims.set(key, {
            action: grant.action,
            resourceType,
            resource: reason.resource,
            reason: "the env's permissions boundary must stay on every role, so it is never removed",
          });
      }
    }
  return [...trims.values()];
}
