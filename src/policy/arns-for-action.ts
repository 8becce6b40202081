import { buildArns, commonPrefixPatterns, nameKey, withoutCovered, type PseudoValues } from './arn-patterns';
import type { ActionResourceType, IamReference } from './iam-reference';
import { ownerKey, type NameRegistry, type TypeNames } from './name-registry';

/**
 * More ARN patterns than this for one action, none of them naming a resource of the project
 * (API Gateway's many path types), collapse into their common prefix. Patterns built from the
 * project's names never collapse: long name lists are folded by the engine instead.
 */
const MAX_UNNAMED_PATTERNS_PER_ACTION = 6;

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
  resourceType?: string,
  owner?: string,
): string[] {
  const info = iam.action(action);
  if (!info || info.resourceTypes.length === 0) return ['*'];
  const service = action.split(':')[0].toLowerCase();
  const handled = resourceType ? registry.byType.get(resourceType) : undefined;
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
      const arns = buildArns(format, pseudo, known);
      (anonymous ? unnamed : named).push(...(type.suffix ? withSuffix(arns, type.suffix) : arns));
    }
  };
  if (handled && handledType) {
    const owned = owner !== undefined ? registry.byResource.get(ownerKey(owner, resourceType!)) : undefined;
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
export function actsOnOwnType(
  action: string,
  cfnType: string,
  iam: IamReference,
  registry: NameRegistry,
): boolean {
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

/** The ARNs IAM authorizes the action on: each with the type's suffix, but patterns ending in `*` (they cover it). */
export const withSuffix = (arns: readonly string[], suffix: string): string[] =>
  arns.map((arn) => (arn.endsWith('*') ? arn : `${arn}${suffix}`));
