/**
 * Scoping: from requirements (an action, maybe an ARN) to grants (an action on each ARN of
 * the project it needs). Requirements that scope alike form one group, scoped once; each
 * grant refers to the groups that need it, so the cost is linear in requirements plus grants.
 */
import type { Grant, Requirement } from '../model';
import type { PseudoValues } from './arn-patterns';
import { actsOnOwnType, arnsForAction } from './arns-for-action';
import { conditionId } from './conditions';
import type { IamReference } from './iam-reference';
import { ownerKey, type NameRegistry } from './name-registry';
import { warning, type Warning } from '../results';

/**
 * Requirements that get the same ARNs and condition: same action (IAM's spelling), same ARN
 * or same resource type, same condition, and the same owning resource when the action is on
 * the handler's own type (lambda:TagResource of function fn1: fn1's ARN).
 */
export interface RequirementGroup {
  readonly action: string;
  /** The first member: its resource, type, owner and condition are the group's. */
  readonly first: Requirement;
  /** Scoped to its owner's names of its own type. */
  readonly own: boolean;
  readonly members: readonly Requirement[];
}

/** The grants of a set of requirements, and the requirements no ARN of the project fits. */
export interface ScopedGrants {
  /** Unique by (action, resource, condition), in the order their first requirement came. */
  readonly grants: Grant[];
  /** Requirements left out: they act only on kinds of resource the project names none of. */
  readonly unscoped: Requirement[];
}

/**
 * Groups requirements that scope alike, in the order of their first member. Which groups
 * there are depends on the registry's types only, not on its names: the same groups serve
 * every attempt with folded names.
 */
export function groupRequirements(
  requirements: readonly Requirement[],
  iam: IamReference,
  registry: NameRegistry,
): RequirementGroup[] {
  const canonical = new Map<string, string>();
  const ownType = new Map<string, Map<string, boolean>>();
  // Nested maps keyed by the requirements' own strings (their hashes are cached): a key
  // made by concatenation would be a new string to hash for each of millions of requirements.
  type ByCondition = Map<
    number,
    { action: string; first: Requirement; own: boolean; members: Requirement[] }
  >;
  const onResource = new Map<string, Map<string, ByCondition>>();
  const onType = new Map<string, Map<string, Map<string, ByCondition>>>();
  const groups: RequirementGroup[] = [];
  for (const requirement of requirements) {
    let action = canonical.get(requirement.action);
    if (action === undefined) {
      action = iam.action(requirement.action)?.name ?? requirement.action;
      canonical.set(requirement.action, action);
    }
    const { resourceType = '', resource: owner } = requirement.reason;
    let own = false;
    let byCondition: ByCondition;
    if (requirement.resource !== undefined)
      byCondition = child(child(onResource, action), requirement.resource);
    else {
      const types = child(ownType, action);
      let known = types.get(resourceType);
      if (known === undefined) {
        known = resourceType !== '' && actsOnOwnType(action, resourceType, iam, registry);
        types.set(resourceType, known);
      }
      own = known;
      // Only an action on the handler's own type depends on which resource asks for it.
      byCondition = child(child(child(onType, action), resourceType), own ? owner : '');
    }
    const condition = conditionId(requirement.condition);
    const group = byCondition.get(condition);
    if (group) group.members.push(requirement);
    else {
      const created = { action, first: requirement, own, members: [requirement] };
      byCondition.set(condition, created);
      groups.push(created);
    }
  }
  return groups;
}

/**
 * Gives every group its concrete ARN patterns (its own, or those of the project's resources
 * of the types the action is authorized on, see arnsForAction) and makes the grants.
 */
export function scopeGroups(
  groups: readonly RequirementGroup[],
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
): ScopedGrants {
  // ARNs per action, type and the owner's own names (folded names are shared by many owners).
  const scopes = new Map<string, Map<string, Map<string, string[]>>>();
  const byGrant = new Map<string, Map<string, Map<number, Array<readonly Requirement[]>>>>();
  const grants: Grant[] = [];
  const unscoped: Requirement[] = [];
  for (const { action, first, own, members } of groups) {
    let resources: string[];
    if (first.resource !== undefined) resources = [first.resource];
    else {
      const { resourceType = '', resource: owner } = first.reason;
      const cached = child(child(scopes, action), resourceType);
      const names = own ? (registry.byResource.get(ownerKey(owner, resourceType))?.join('\n') ?? '') : '';
      let scoped = cached.get(names);
      if (!scoped) {
        scoped = arnsForAction(action, iam, registry, pseudo, resourceType || undefined, owner);
        cached.set(names, scoped);
      }
      resources = scoped;
    }
    if (resources.length === 0) for (const member of members) unscoped.push(member);
    const condition = conditionId(first.condition);
    const onAction = child(byGrant, action);
    for (const resource of resources) {
      const byCondition = child(onAction, resource);
      const origins = byCondition.get(condition);
      if (origins) origins.push(members);
      else {
        const created: Array<readonly Requirement[]> = [members];
        byCondition.set(condition, created);
        grants.push(
          first.condition
            ? { action, resource, condition: first.condition, origins: created }
            : { action, resource, origins: created },
        );
      }
    }
  }
  return { grants, unscoped };
}

/** The map under `key`, made when missing. */
function child<K, V extends Map<unknown, unknown>>(map: Map<K, V>, key: K): V {
  let found = map.get(key);
  if (!found) {
    found = new Map() as V;
    map.set(key, found);
  }
  return found;
}

/** Groups and scopes in one step (see groupRequirements and scopeGroups). */
export const scopeRequirements = (
  requirements: readonly Requirement[],
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
): ScopedGrants => scopeGroups(groupRequirements(requirements, iam, registry), iam, registry, pseudo);

/** A warning for the requirements left out because the project has no resource of the kind they act on. */
export function notScopedWarnings(unscoped: readonly Requirement[], iam: IamReference): Warning[] {
  const left = new Set<string>();
  for (const { action, reason } of unscoped)
    left.add(
      `${iam.action(action)?.name ?? action} (${reason.resource}${reason.resourceType ? `: ${reason.resourceType}` : ''})`,
    );
  return left.size === 0
    ? []
    : [
        warning(
          'not-granted',
          `Not granted: ${[...left].sort().join(', ')}. They act only on kinds of resource (roles, functions, tables, buckets, ...) the project's templates name none of, and a bare * would reach every one in the account.`,
        ),
      ];
}
