/**
 * The name registry: which names the project gives its resources, by ARN name key, by
 * CloudFormation type and by owning resource (data/cfn-resource-names.json rules applied to
 * the inventory), and why a name is a pattern. What scoping turns into ARNs.
 */
import type { Inventory, ProjectContext } from '../model';
import type { Catalog, NameRule } from '../catalog/schemas';
import { own } from '../inventory/intrinsics';
import { resourceLabel } from '../inventory/resource-label';
import { nameKey, withoutCovered } from './arn-patterns';
import type { IamReference } from './iam-reference';

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
  const keysOf = new Map<string, string[]>();
  for (const resource of inventory.resources) {
    const label = resourceLabel(resource);
    for (const cfn of resource.cfnResources) {
      const rule = own(catalog.resourceNames.types, cfn.type);
      if (!rule) continue;
      const owned = byResource.get(ownerKey(label, cfn.type)) ?? new Set<string>();
      byResource.set(ownerKey(label, cfn.type), owned);
      let keys = keysOf.get(rule.arnType);
      if (!keys) {
        keys = [...new Set(iam.formats(rule.arnType).flatMap((format) => nameKey(format) ?? []))];
        keysOf.set(rule.arnType, keys);
      }
      const entry = byType.get(cfn.type) ?? { arnType: rule.arnType, keys, names: new Set<string>() };
      byType.set(cfn.type, entry);
      const deployed = deployedIds(rule, own(deployedOutputs ?? {}, `${resource.category}/${resource.name}`));
      const given = cfn.names.includes('*') && deployed.length > 0 ? deployed : cfn.names;
      for (const name of given) {
        entry.names.add(name);
        owned.add(name);
        const cause =
          cfn.nameCauses && Object.hasOwn(cfn.nameCauses, name) ? cfn.nameCauses[name] : undefined;
        for (const key of cause ? keys : [])
          if (!causes.has(`${key}|${name}`)) causes.set(`${key}|${name}`, cause!);
      }
      for (const key of keys) {
        const set = names.get(key) ?? new Set<string>();
        for (const name of given) set.add(name);
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

/** The byResource key of a resource's names of one type. */
export const ownerKey = (label: string, cfnType: string): string => `${label}\n${cfnType}`;

/** The ids amplify-meta.json records for a resource, for a type whose id is assigned at creation. */
function deployedIds(rule: NameRule, outputs: Readonly<Record<string, string>> | undefined): string[] {
  if (!outputs || rule.generated !== 'random') return [];
  return (rule.deployedOutputs ?? []).flatMap((output) => own(outputs, output) ?? []);
}
