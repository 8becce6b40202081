import type { ConditionBlock, Inventory, Phase, Reason, Requirement } from '../model';
import type { Catalog } from '../requirements/catalog';
import {
  buildArns,
  commonPrefixPatterns,
  formatPattern,
  nameKey,
  withoutCovered,
  type PseudoValues,
} from './arn-patterns';
import type { ActionResourceType, IamReference } from './iam-reference';

/** A requirement with its final ARN pattern and the action's canonical spelling. */
export interface ScopedRequirement {
  readonly action: string;
  readonly resource: string;
  readonly condition?: ConditionBlock;
  readonly phase: Phase;
  readonly reason: Reason;
}

/** Names the project gives its resources, by name key (see arn-patterns nameKey), and ARNs its templates write out. */
export interface NameRegistry {
  readonly names: ReadonlyMap<string, readonly string[]>;
  readonly literalArns: readonly string[];
}

/** More ARN patterns than this for one action collapse into their common prefix (API Gateway's many path types). */
const MAX_PATTERNS_PER_ACTION = 6;

export function buildNameRegistry(inventory: Inventory, catalog: Catalog, iam: IamReference): NameRegistry {
  const names = new Map<string, Set<string>>();
  const literalArns = new Set<string>();
  for (const resource of inventory.resources) {
    for (const cfn of resource.cfnResources) {
      cfn.referencedArns.forEach((arn) => literalArns.add(arn));
      const rule = catalog.resourceNames.types[cfn.type];
      if (!rule) continue;
      for (const format of iam.formats(rule.arnType)) {
        const key = nameKey(format);
        if (!key) continue;
        const set = names.get(key) ?? new Set<string>();
        cfn.names.forEach((name) => set.add(name));
        names.set(key, set);
      }
    }
  }
  return {
    names: new Map([...names].map(([key, set]) => [key, withoutCovered(set)])),
    literalArns: [...literalArns].sort(),
  };
}

/** Gives every requirement a concrete ARN pattern: its own, or one per resource type of its action. */
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
      resources = cache.get(action) ?? arnsForAction(action, iam, registry, pseudo);
      cache.set(action, resources);
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

/** The project's ARNs for every resource type the action authorizes on; `*` for actions without any. */
export function arnsForAction(
  action: string,
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
): string[] {
  const info = iam.action(action);
  if (!info || info.resourceTypes.length === 0) return ['*'];
  const arns = chooseTypes(info.resourceTypes, registry).flatMap((type) =>
    type.formats.flatMap((format) => {
      const key = nameKey(format);
      const pattern = formatPattern(format);
      const literals = registry.literalArns.filter((arn) => pattern.test(arn));
      return [...buildArns(format, pseudo, key ? registry.names.get(key) : undefined), ...literals];
    }),
  );
  const patterns = withoutCovered(arns);
  return patterns.length > MAX_PATTERNS_PER_ACTION
    ? withoutCovered(commonPrefixPatterns(patterns))
    : patterns;
}

/**
 * The resource types to scope to: the required ones; when none is required, the ones the
 * project has names or ARNs for; when it has none, all of them.
 */
function chooseTypes(
  types: readonly ActionResourceType[],
  registry: NameRegistry,
): readonly ActionResourceType[] {
  const required = types.filter((type) => type.required);
  if (required.length > 0) return required;
  const named = types.filter((type) =>
    type.formats.some((format) => {
      const key = nameKey(format);
      return (
        (key && registry.names.has(key)) ||
        registry.literalArns.some((arn) => formatPattern(format).test(arn))
      );
    }),
  );
  return named.length > 0 ? named : types;
}

/**
 * A registry with long name lists folded into one pattern each: the names' longest common
 * prefix and suffix around a `*` (`fn1-dev`, `fn2-dev` → `fn*-dev`). Wider, still tied to the
 * project's naming; used only when the exact names do not fit IAM's size limits.
 */
export function compactRegistry(
  registry: NameRegistry,
  maxNames: number,
): { registry: NameRegistry; folded: string[] } {
  const folded: string[] = [];
  const names = new Map<string, readonly string[]>();
  for (const [key, list] of registry.names) {
    if (list.length <= maxNames) {
      names.set(key, list);
      continue;
    }
    const pattern = foldNames(list);
    folded.push(`${list.length} names (${key.replace('|', ' ')}) → ${pattern}`);
    names.set(key, [pattern]);
  }
  return { registry: { names, literalArns: registry.literalArns }, folded };
}

function foldNames(names: readonly string[]): string {
  const prefix = names.reduce((common, name) => {
    let i = 0;
    while (i < common.length && common[i] === name[i] && common[i] !== '*') i++;
    return common.slice(0, i);
  });
  const suffix = names.reduce((common, name) => {
    let i = 0;
    while (
      i < common.length &&
      common[common.length - 1 - i] === name[name.length - 1 - i] &&
      common[common.length - 1 - i] !== '*'
    )
      i++;
    return common.slice(common.length - i);
  });
  return `${prefix}*${suffix}`.replace(/\*+/g, '*');
}
