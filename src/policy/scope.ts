import type { ConditionBlock, Inventory, Phase, ProjectContext, Reason, Requirement } from '../model';
import type { Catalog, NameRule } from '../requirements/catalog';
import { own } from '../inventory/intrinsics';
import { resourceLabel } from '../inventory/resource-label';
import { buildArns, commonPrefixPatterns, nameKey, withoutCovered, type PseudoValues } from './arn-patterns';
import { foldNames } from './fold-names';
import type { ActionResourceType, IamReference } from './iam-reference';

/** A requirement with its final ARN pattern and the action's canonical spelling. */
export interface ScopedRequirement {
  readonly action: string;
  readonly resource: string;
  readonly condition?: ConditionBlock;
  readonly phase: Phase;
  readonly reason: Reason;
}

/** The names of one CloudFormation type's resources in the project, and where IAM puts them. */
export interface TypeNames {
  /** IAM resource type (`service:key`) whose ARN carries the name. */
  readonly arnType: string;
  /** Name keys (see arn-patterns nameKey) of that type's ARN formats. */
  readonly keys: readonly string[];
  readonly names: readonly string[];
}

/**
 * Names the project gives its resources: by name key (every type that shares an ARN shape), by
 * CloudFormation type, and why a name pattern stands for more than one known name.
 */
export interface NameRegistry {
  readonly names: ReadonlyMap<string, readonly string[]>;
  readonly byType: ReadonlyMap<string, TypeNames>;
  /**
   * `<resource label>\n<CloudFormation type>` → the names of that type one inventory resource
   * declares: what its handlers act on (a function's handler acts on that function).
   */
  readonly byResource: ReadonlyMap<string, readonly string[]>;
  /** `<name key>|<name pattern>` → why it is a pattern (an id assigned at creation, a fold). */
  readonly causes: ReadonlyMap<string, string>;
  /** IAM resource types (`service:key`, lower case) never scoped to a bare `*` name. */
  readonly neverBare: ReadonlySet<string>;
}

/**
 * More ARN patterns than this for one action, none of them naming a resource of the project
 * (API Gateway's many path types), collapse into their common prefix. Patterns built from the
 * project's names never collapse: long name lists are folded by the engine instead.
 */
const MAX_UNNAMED_PATTERNS_PER_ACTION = 6;

export function buildNameRegistry(
  inventory: Inventory,
  catalog: Catalog,
  iam: IamReference,
  deployedOutputs: ProjectContext['deployedOutputs'] = {},
): NameRegistry {
  const names = new Map<string, Set<string>>();
  const byType = new Map<string, { arnType: string; keys: string[]; names: Set<string> }>();
  const byResource = new Map<string, Set<string>>();
  const causes = new Map<string, string>();
  for (const resource of inventory.resources) {
    const label = resourceLabel(resource);
    for (const cfn of resource.cfnResources) {
      const rule = own(catalog.resourceNames.types, cfn.type);
      if (!rule) continue;
      const owned = byResource.get(ownerKey(label, cfn.type)) ?? new Set<string>();
      byResource.set(ownerKey(label, cfn.type), owned);
      const keys = [...new Set(iam.formats(rule.arnType).flatMap((format) => nameKey(format) ?? []))];
      const entry = byType.get(cfn.type) ?? { arnType: rule.arnType, keys, names: new Set<string>() };
      byType.set(cfn.type, entry);
      const deployed = deployedIds(rule, own(deployedOutputs ?? {}, `${resource.category}/${resource.name}`));
      for (const name of cfn.names.includes('*') && deployed.length > 0 ? deployed : cfn.names) {
        entry.names.add(name);
        owned.add(name);
        const cause =
          cfn.nameCauses && Object.hasOwn(cfn.nameCauses, name) ? cfn.nameCauses[name] : undefined;
        for (const key of cause ? keys : [])
          if (!causes.has(`${key}|${name}`)) causes.set(`${key}|${name}`, cause!);
      }
      for (const key of keys) {
        const set = names.get(key) ?? new Set<string>();
        entry.names.forEach((name) => set.add(name));
        names.set(key, set);
      }
    }
  }
  // What services create on their own for the project's resources (an Amplify branch's topics).
  for (const resource of inventory.resources)
    for (const { arnType, names: created } of resource.cfnResources.flatMap((c) => c.createdNames ?? []))
      for (const key of new Set(iam.formats(arnType).flatMap((format) => nameKey(format) ?? []))) {
        const set = names.get(key) ?? new Set<string>();
        created.forEach((name) => set.add(name));
        names.set(key, set);
      }
  return {
    names: new Map([...names].map(([key, set]) => [key, withoutCovered(set)])),
    byType: new Map(
      [...byType].map(([type, entry]) => [type, { ...entry, names: withoutCovered(entry.names) }]),
    ),
    byResource: new Map([...byResource].map(([key, set]) => [key, withoutCovered(set)])),
    causes,
    neverBare: new Set(catalog.resourceNames.neverBare.arnTypes.map((type) => type.toLowerCase())),
  };
}

const ownerKey = (label: string, cfnType: string): string => `${label}\n${cfnType}`;

/** The ids amplify-meta.json records for a resource, for a type whose id is assigned at creation. */
function deployedIds(rule: NameRule, outputs: Readonly<Record<string, string>> | undefined): string[] {
  if (!outputs || rule.generated !== 'random') return [];
  return (rule.deployedOutputs ?? []).flatMap((output) => own(outputs, output) ?? []);
}

/** Gives every requirement a concrete ARN pattern: its own, or one per resource type it acts on. */
export function scopeRequirements(
  requirements: readonly Requirement[],
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
): ScopedRequirement[] {
  const cache = new Map<string, string[]>();
  const scoped: ScopedRequirement[] = [];
  for (const requirement of requirements) {
    const action = iam.action(requirement.action)?.name ?? requirement.action;
    let resources: string[];
    if (requirement.resource !== undefined) {
      resources = [requirement.resource];
    } else {
      const { cfnType, resource: owner } = requirement.reason;
      // Only an action on the handler's own type depends on which resource asks for it.
      const own = cfnType !== undefined && actsOnOwnType(action, cfnType, iam, registry);
      const key = `${action} ${cfnType ?? ''} ${own ? owner : ''}`;
      resources = cache.get(key) ?? arnsForAction(action, iam, registry, pseudo, cfnType, owner);
      cache.set(key, resources);
    }
    for (const resource of resources) scoped.push(withResource(requirement, action, resource));
  }
  return scoped;
}

/**
 * The scoped copy, written out field by field: an object literal with a spread is several
 * times larger, and a big project has millions of these.
 */
const withResource = (requirement: Requirement, action: string, resource: string): ScopedRequirement =>
  requirement.condition
    ? {
        action,
        resource,
        condition: requirement.condition,
        phase: requirement.phase,
        reason: requirement.reason,
      }
    : { action, resource, phase: requirement.phase, reason: requirement.reason };

/**
 * The project's ARNs for the resource types the action is authorized on; `*` for actions IAM
 * authorizes on no resource type; none when it acts only on kinds the project has none of
 * (roles, functions, tables, ... see data/cfn-resource-names.json neverBare). A handler's action
 * that IAM authorizes on the handler's own resource type acts on the resource being deployed:
 * it gets the names of that type its `owner` declares (lambda:TagResource for function/fn1: fn1),
 * else every name of the type in the project. Scoping each resource's handlers to its own names
 * keeps the cost linear in the number of resources.
 */
export function arnsForAction(
  action: string,
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
  cfnType?: string,
  owner?: string,
): string[] {
  const info = iam.action(action);
  if (!info || info.resourceTypes.length === 0) return ['*'];
  const service = action.split(':')[0].toLowerCase();
  const handled = cfnType ? registry.byType.get(cfnType) : undefined;
  const handledType = handled ? ownType(info.resourceTypes, service, handled) : undefined;
  const named: string[] = [];
  const unnamed: string[] = [];
  const bareForbidden = (type: ActionResourceType): boolean =>
    registry.neverBare.has(`${service}:${type.key}`.toLowerCase());
  const add = (type: ActionResourceType, names: readonly string[] | undefined): void => {
    for (const format of type.formats) {
      const known = names ?? registry.names.get(nameKey(format) ?? '');
      const anonymous = !known || known.every((name) => name === '*');
      // No resource of this kind in the project: nothing of it to grant, rather than all of the account's.
      if (anonymous && bareForbidden(type)) continue;
      (anonymous ? unnamed : named).push(...buildArns(format, pseudo, known));
    }
  };
  if (handled && handledType) {
    const owned = owner !== undefined ? registry.byResource.get(ownerKey(owner, cfnType!)) : undefined;
    add(handledType, owned && owned.length > 0 ? owned : handled.names);
    info.resourceTypes
      .filter((type) => type.required && type !== handledType)
      .forEach((type) => add(type, undefined));
  } else {
    chooseTypes(info.resourceTypes, registry).forEach((type) => add(type, undefined));
  }
  const wide = withoutCovered(unnamed);
  return withoutCovered([
    ...named,
    ...(wide.length > MAX_UNNAMED_PATTERNS_PER_ACTION ? commonPrefixPatterns(wide) : wide),
  ]);
}

/** The resource type of the action that is the handler's own type (its ARN carries the handler's names). */
const ownType = (
  types: readonly ActionResourceType[],
  service: string,
  handled: TypeNames,
): ActionResourceType | undefined =>
  types.find((type) => `${service}:${type.key}`.toLowerCase() === handled.arnType.toLowerCase());

/** Does IAM authorize the action on the resource type the handler deploys? */
function actsOnOwnType(action: string, cfnType: string, iam: IamReference, registry: NameRegistry): boolean {
  const handled = registry.byType.get(cfnType);
  const info = iam.action(action);
  return (
    !!handled &&
    !!info &&
    ownType(info.resourceTypes, action.split(':')[0].toLowerCase(), handled) !== undefined
  );
}

/**
 * The resource types to scope to: the required ones; when none is required, the ones the
 * project has names for; when it has none, all of them.
 */
function chooseTypes(
  types: readonly ActionResourceType[],
  registry: NameRegistry,
): readonly ActionResourceType[] {
  const required = types.filter((type) => type.required);
  if (required.length > 0) return required;
  const named = types.filter((type) =>
    type.formats.some((format) => registry.names.has(nameKey(format) ?? '')),
  );
  return named.length > 0 ? named : types;
}

/**
 * A registry whose name lists longer than `maxNames` are folded into prefix patterns
 * (`fn1-dev`, `fn2-dev` → `fn*-dev`; see fold-names), the same fold for every type that shares
 * a name key. Wider, still tied to the project's names; used only when the exact names do not
 * fit IAM's size limits. `anchors` are the stack-name prefixes a fold may not cut short.
 */
export function compactRegistry(
  registry: NameRegistry,
  maxNames: number,
  anchors: readonly string[],
): { registry: NameRegistry; folded: string[] } {
  const folded: string[] = [];
  const names = new Map<string, readonly string[]>();
  const causes = new Map(registry.causes);
  const mapping = new Map<string, ReadonlyMap<string, string>>();
  for (const [key, list] of registry.names) {
    const groups = list.length > maxNames ? foldNames(list, maxNames, anchors) : [];
    const byName = new Map<string, string>();
    for (const group of groups) {
      if (group.members.length < 2) continue;
      group.members.forEach((member) => byName.set(member, group.pattern));
      const line = `${group.members.length} names (${key.replace('|', ' ')}) → ${group.pattern}`;
      folded.push(line);
      causes.set(`${key}|${group.pattern}`, `folded to fit IAM's size limits: ${group.members.join(', ')}`);
    }
    mapping.set(key, byName);
    names.set(key, withoutCovered(list.map((name) => byName.get(name) ?? name)));
  }
  const byType = new Map(
    [...registry.byType].map(([type, entry]) => {
      const byName = mapping.get(entry.keys[0] ?? '');
      return [type, { ...entry, names: withoutCovered(entry.names.map((n) => byName?.get(n) ?? n)) }];
    }),
  );
  const byResource = new Map(
    [...registry.byResource].map(([owner, list]) => {
      const type = owner.slice(owner.indexOf('\n') + 1);
      const byName = mapping.get(registry.byType.get(type)?.keys[0] ?? '');
      return [owner, withoutCovered(list.map((n) => byName?.get(n) ?? n))];
    }),
  );
  return { registry: { ...registry, names, byType, byResource, causes }, folded };
}
