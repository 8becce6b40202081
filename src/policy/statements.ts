import type { ConditionBlock, Grant, Statement } from '../model';
import { withoutCovered } from './arn-patterns';
import { canonicalCondition, conditionKey } from './conditions';
import { compareIgnoringCaseFirst } from '../text-order';

/**
 * A statement with the grants it allows: its origins, kept through every merge and split (as
 * aws-cdk's statement merging keeps its originsMap), so that each statement of the documents
 * leads back to the requirements that need it without matching anything again.
 */
export interface DraftStatement {
  readonly statement: Statement;
  readonly grants: readonly Grant[];
}

/**
 * Groups grants into statements: per condition and service, actions that need the same
 * resources share a statement. Nothing is widened: a statement allows exactly the pairs
 * (action, resource) some grant asked for, or fewer resources when a wider pattern of the same
 * action covers them.
 */
export function groupStatements(grants: readonly Grant[]): DraftStatement[] {
  const byCondition = new Map<
    string,
    { condition?: ConditionBlock; byAction: Map<string, { resources: Set<string>; grants: Grant[] }> }
  >();
  for (const grant of grants) {
    const key = conditionKey(grant.condition);
    let group = byCondition.get(key);
    if (!group) {
      group = { condition: canonicalCondition(grant.condition), byAction: new Map() };
      byCondition.set(key, group);
    }
    let entry = group.byAction.get(grant.action);
    if (!entry) {
      entry = { resources: new Set(), grants: [] };
      group.byAction.set(grant.action, entry);
    }
    entry.resources.add(grant.resource);
    entry.grants.push(grant);
  }
  const drafts: DraftStatement[] = [];
  for (const { condition, byAction } of byCondition.values()) {
    const byResources = new Map<string, { resources: string[]; actions: string[]; grants: Grant[] }>();
    for (const [action, { resources, grants: granted }] of byAction) {
      const kept = withoutCovered(resources);
      const key = `${serviceOf(action)}\n${kept.join('\n')}`;
      const entry = byResources.get(key) ?? { resources: kept, actions: [], grants: [] };
      entry.actions.push(action);
      append(entry.grants, granted);
      byResources.set(key, entry);
    }
    for (const { resources, actions, grants: granted } of byResources.values())
      drafts.push({ statement: statement(actions, resources, condition), grants: granted });
  }
  return mergeStatements(drafts);
}

/**
 * Merges statements until nothing changes (the rule of aws-cdk's merge-statements): same
 * condition and same actions → union of resources; same condition and same resources →
 * union of actions, of one service unless `acrossServices`. Both keep the allowed pairs exactly.
 */
export function mergeStatements(drafts: readonly DraftStatement[], acrossServices = false): DraftStatement[] {
  const servicePart = (s: Statement): string => (acrossServices ? '' : servicesOf(s).join(','));
  let current = [...drafts];
  for (let changed = true; changed;) {
    changed = false;
    for (const [keyOf, merge] of [
      [(s: Statement) => `${conditionKey(s.Condition)}|${s.Action.join(',')}`, mergeResources],
      [
        (s: Statement) => `${conditionKey(s.Condition)}|${servicePart(s)}|${s.Resource.join(',')}`,
        mergeActions,
      ],
    ] as const) {
      const groups = new Map<string, DraftStatement[]>();
      for (const draft of current) {
        const key = keyOf(draft.statement);
        const group = groups.get(key);
        if (group) group.push(draft);
        else groups.set(key, [draft]);
      }
      if ([...groups.values()].some((group) => group.length > 1)) changed = true;
      current = [...groups.values()].map((group) => (group.length === 1 ? group[0] : merge(group)));
    }
  }
  return current;
}

const grantsOf = (group: readonly DraftStatement[]): Grant[] => {
  const grants: Grant[] = [];
  for (const draft of group) append(grants, draft.grants);
  return grants;
};

const mergeResources = (group: readonly DraftStatement[]): DraftStatement => ({
  statement: statement(
    group[0].statement.Action,
    withoutCovered(group.flatMap((d) => d.statement.Resource)),
    group[0].statement.Condition,
  ),
  grants: grantsOf(group),
});

const mergeActions = (group: readonly DraftStatement[]): DraftStatement => ({
  statement: statement(
    group.flatMap((d) => d.statement.Action),
    group[0].statement.Resource,
    group[0].statement.Condition,
  ),
  grants: grantsOf(group),
});

/** Appends one by one: a spread of a long list into push() overflows the call stack. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

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
export const compareActions = compareIgnoringCaseFirst;

/** The service of an action (`lambda` of `lambda:CreateFunction`). */
export const serviceOf = (action: string): string => action.split(':')[0].toLowerCase();

/** The services of a statement's actions, in the order of its actions. */
export const servicesOf = (statement: Statement): string[] => [...new Set(statement.Action.map(serviceOf))];
