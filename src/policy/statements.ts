import type { ConditionBlock, Statement } from '../model';
import { withoutCovered } from './arn-patterns';
import type { ScopedRequirement } from './scope';

/**
 * Groups scoped requirements into statements: per condition, actions that need the same
 * resources share a statement. Nothing is widened: a statement allows exactly the pairs
 * (action, resource) some requirement asked for, or fewer resources when a wider pattern of
 * the same action covers them.
 */
export function groupStatements(scoped: readonly ScopedRequirement[]): Statement[] {
  const byCondition = new Map<
    string,
    { condition?: ConditionBlock; resourcesByAction: Map<string, Set<string>> }
  >();
  for (const requirement of scoped) {
    const key = conditionKey(requirement.condition);
    const group = byCondition.get(key) ?? {
      condition: canonicalCondition(requirement.condition),
      resourcesByAction: new Map(),
    };
    byCondition.set(key, group);
    const resources = group.resourcesByAction.get(requirement.action) ?? new Set<string>();
    resources.add(requirement.resource);
    group.resourcesByAction.set(requirement.action, resources);
  }
  const statements: Statement[] = [];
  for (const { condition, resourcesByAction } of byCondition.values()) {
    const actionsByResources = new Map<string, { resources: string[]; actions: string[] }>();
    for (const [action, resources] of resourcesByAction) {
      const kept = withoutCovered(resources);
      const key = kept.join('\n');
      const entry = actionsByResources.get(key) ?? { resources: kept, actions: [] };
      entry.actions.push(action);
      actionsByResources.set(key, entry);
    }
    for (const { resources, actions } of actionsByResources.values()) {
      statements.push(statement(actions, resources, condition));
    }
  }
  return mergeStatements(statements);
}

/**
 * Merges statements until nothing changes (the rule of aws-cdk's merge-statements): same
 * condition and same actions → union of resources; same condition and same resources →
 * union of actions. Both keep the allowed pairs exactly.
 */
export function mergeStatements(statements: readonly Statement[]): Statement[] {
  let current = [...statements];
  for (let changed = true; changed;) {
    changed = false;
    for (const [keyOf, merge] of [
      [(s: Statement) => `${conditionKey(s.Condition)}|${s.Action.join(',')}`, mergeResources],
      [(s: Statement) => `${conditionKey(s.Condition)}|${s.Resource.join(',')}`, mergeActions],
    ] as const) {
      const groups = new Map<string, Statement[]>();
      for (const s of current) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
      if ([...groups.values()].some((group) => group.length > 1)) changed = true;
      current = [...groups.values()].map((group) => group.reduce(merge));
    }
  }
  return current;
}

const mergeResources = (a: Statement, b: Statement): Statement =>
  statement(a.Action, withoutCovered([...a.Resource, ...b.Resource]), a.Condition);
const mergeActions = (a: Statement, b: Statement): Statement =>
  statement([...a.Action, ...b.Action], a.Resource, a.Condition);

export function statement(
  actions: Iterable<string>,
  resources: Iterable<string>,
  condition?: ConditionBlock,
): Statement {
  const Resource = [...new Set(resources)].sort();
  return {
    Effect: 'Allow',
    Action: [...new Set(actions)].sort(compareActions),
    Resource: Resource.includes('*') ? ['*'] : Resource,
    ...(condition ? { Condition: condition } : {}),
  };
}

/** Actions sort by service, then name, case-insensitively (IAM action names are case-insensitive). */
export const compareActions = (a: string, b: string): number =>
  a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b);

/** Operators and keys sorted, values as sorted unique arrays. */
export function canonicalCondition(condition: ConditionBlock | undefined): ConditionBlock | undefined {
  if (!condition) return undefined;
  const result: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(condition).sort()) {
    result[operator] = {};
    for (const key of Object.keys(condition[operator]).sort()) {
      result[operator][key] = [...new Set([condition[operator][key]].flat())].sort();
    }
  }
  return result;
}

/** Keys of condition objects already seen: requirements share their condition objects. */
const conditionKeys = new WeakMap<ConditionBlock, string>();

export function conditionKey(condition: ConditionBlock | undefined): string {
  if (!condition) return 'null';
  let key = conditionKeys.get(condition);
  if (key === undefined) {
    key = JSON.stringify(canonicalCondition(condition));
    conditionKeys.set(condition, key);
  }
  return key;
}

/** The condition with one more StringEquals key (boundary, region): the request must carry that value. */
export function withStringEquals(
  condition: ConditionBlock | undefined,
  key: string,
  value: string,
): ConditionBlock {
  return { ...(condition ?? {}), StringEquals: { ...(condition?.StringEquals ?? {}), [key]: value } };
}
