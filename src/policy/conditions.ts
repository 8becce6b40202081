import type { ConditionBlock } from '../model';

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

/** Small numbers for condition keys, to key maps of millions of entries by (condition, ...) cheaply. */
const conditionIds = new Map<string, number>();

export function conditionId(condition: ConditionBlock | undefined): number {
  const key = conditionKey(condition);
  let id = conditionIds.get(key);
  if (id === undefined) {
    id = conditionIds.size;
    conditionIds.set(key, id);
  }
  return id;
}
