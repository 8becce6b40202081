import type { CfnResource } from '../model';
import { matches } from '../catalog/predicate';
import type { ServiceLinkedRole, TrimRule } from '../catalog/schemas';

/** A handler action left out for one resource type of one resource, and why. */
export interface TrimmedAction {
  readonly action: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly reason: string;
}

/** The inventory resource (category and service) the resources of one type belong to. */
export interface TrimScope {
  readonly category: string;
  readonly service: string;
  readonly imported: boolean;
}

/** What the rules of one type decide for the resources of that type in one inventory resource. */
export interface RuleDecisions {
  /** Actions left out, with why: no resource sets a property that makes the handler call them. */
  readonly trimmed: Map<string, string>;
  /** Actions a rule keeps because a resource sets its property (or the project has its feature), with the rule's reason. */
  readonly kept: Map<string, string>;
}

/**
 * The optional handler actions (data/handler-trimming.json) that none of the given resources
 * of one type needs, and those a set property asks for. An action two rules name stays when
 * either rule needs it, or when a rule that cannot judge this resource (`appliesTo`) names it.
 * When the properties of any of the resources are unknown, nothing is trimmed and nothing is
 * known to be asked for.
 */
export function ruleDecisions(
  resources: readonly CfnResource[],
  rules: readonly TrimRule[],
  features: readonly string[],
  scope: TrimScope,
): RuleDecisions {
  const trimmed = new Map<string, string>();
  const kept = new Map<string, string>();
  if (resources.some((r) => r.propertyPaths === undefined)) return { trimmed, kept };
  const sets = setsAny(resources);
  const judges = (rule: TrimRule): boolean =>
    rule.appliesTo === undefined || matches(rule.appliesTo, { entries: [scope], features });
  const needed = (rule: TrimRule): boolean =>
    (rule.whenFeature !== undefined && features.includes(rule.whenFeature)) ||
    (rule.tags ? features.includes('stackTags') || sets(rule.tags) : sets(rule.whenAny));
  for (const rule of rules.filter((r) => judges(r) && needed(r)))
    for (const action of rule.actions) if (!kept.has(action)) kept.set(action, rule.reason);
  const stays = new Set([...kept.keys(), ...rules.filter((r) => !judges(r)).flatMap((r) => r.actions)]);
  for (const rule of rules.filter((r) => judges(r) && !needed(r))) {
    for (const action of rule.actions) {
      if (!stays.has(action) && !trimmed.has(action))
        trimmed.set(action, `not needed without ${rule.reason}`);
    }
  }
  return { trimmed, kept };
}

/** The service-linked roles the handlers of one type may create for these resources. */
export type RoleTargets =
  | {
      readonly kind: 'listed';
      readonly roles: ReadonlyArray<{ service: string; roleName: string }>;
      readonly because: string;
    }
  | { readonly kind: 'none'; readonly reason: string }
  /** The type is not in data/service-linked-roles.json: any service-linked role. */
  | { readonly kind: 'unlisted' };

/**
 * Which service-linked roles (data/service-linked-roles.json) the resources of one type need:
 * the roles of every entry whose property a resource sets (all entries when the properties are
 * unknown), none when no entry applies, any when the type is not listed.
 */
export function serviceLinkedRoleTargets(
  resources: readonly CfnResource[],
  entries: readonly ServiceLinkedRole[],
): RoleTargets {
  if (entries.length === 0) return { kind: 'unlisted' };
  const unknown = resources.some((r) => r.propertyPaths === undefined);
  const sets = setsAny(resources);
  const applying = entries.filter((entry) => unknown || entry.whenAny === undefined || sets(entry.whenAny));
  if (applying.length === 0) {
    const properties = entries.flatMap((entry) => entry.whenAny ?? []);
    return {
      kind: 'none',
      reason: `not needed without a property that makes the service create its service-linked role (${properties.join(', ')})`,
    };
  }
  const roles = new Map<string, { service: string; roleName: string }>();
  for (const entry of applying)
    for (const role of entry.roles) roles.set(`${role.service}/${role.roleName}`, role);
  return {
    kind: 'listed',
    roles: [...roles.values()],
    because: applying.map((entry) => entry.because).join('; '),
  };
}

/** Whether any of the resources sets any of the property paths. */
const setsAny =
  (resources: readonly CfnResource[]) =>
  (paths: readonly string[] = []): boolean =>
    paths.some((path) => resources.some((r) => r.propertyPaths?.includes(path)));
