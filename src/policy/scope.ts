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
    for (const resource of resources) scoped.push({ ...requirement, action, resource });
  }
  return scoped;
}

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
