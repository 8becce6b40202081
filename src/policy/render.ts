import type { ConditionBlock, PolicyDocument, Statement } from '../model';

/**
 * The JSON IAM receives: single values unwrapped from arrays, fixed key order, no whitespace
 * for size (IAM counts policy size without whitespace), two-space indentation for files.
 */
export function renderStatement(statement: Statement): Record<string, unknown> {
  return {
    ...(statement.Sid ? { Sid: statement.Sid } : {}),
    Effect: statement.Effect,
    Action: single(statement.Action),
    Resource: single(statement.Resource),
    ...(statement.Condition ? { Condition: renderCondition(statement.Condition) } : {}),
  };
}

export function renderDocument(document: PolicyDocument): Record<string, unknown> {
  return { Version: document.Version, Statement: document.Statement.map(renderStatement) };
}

/** IAM's size of a document: its JSON without whitespace. */
export const documentSize = (document: PolicyDocument): number =>
  JSON.stringify(renderDocument(document)).length;
export function statementSize(statement: Statement): number {
  let size = statementSizes.get(statement);
  if (size === undefined)
    statementSizes.set(statement, (size = JSON.stringify(renderStatement(statement)).length));
  return size;
}

/** Statements are values (readonly, never changed once made): each is measured once. */
const statementSizes = new WeakMap<Statement, number>();

/** Size of an empty document: `{"Version":"2012-10-17","Statement":[]}`. */
export const EMPTY_DOCUMENT_SIZE = documentSize({ Version: '2012-10-17', Statement: [] });

function renderCondition(condition: ConditionBlock): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [operator, keys] of Object.entries(condition)) {
    result[operator] = {};
    for (const [key, values] of Object.entries(keys)) result[operator][key] = single([values].flat());
  }
  return result;
}

const single = (values: readonly string[]): string | readonly string[] =>
  values.length === 1 ? values[0] : values;
