import type { ConditionBlock, Grant } from '../model';
import { globsIntersect } from '../policy/arn-overlap';
import { patternContains } from './glob-containment';

/** A statement as found in a policy file (possibly edited by hand): single values or lists. */
export interface FileStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | readonly string[];
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/**
 * The grants no statement of the documents allows. A statement allows a grant when it names
 * the action (IAM wildcards and case allowed), a resource pattern that contains the grant's
 * (every ARN the needed pattern stands for: a needed `*` is any name, which no `?` covers),
 * and a condition the grant's own context satisfies. An Allow with NotAction or NotResource
 * allows nothing here; a Deny counts against a grant whenever it may apply to one of its ARNs
 * (whatever its condition), so the answer errs only towards "not covered".
 */
export function uncoveredGrants(grants: readonly Grant[], documents: readonly unknown[]): Grant[] {
  const statements = fileStatements(documents);
  const allows = statements.filter(
    (s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined,
  );
  const denies = statements.filter((s) => s.Effect === 'Deny');
  return grants.filter(
    (r) =>
      !allows.some((s) => allowsAll(s, r) && conditionHolds(s.Condition, r.condition)) ||
      denies.some((s) => mayDeny(s, r)),
  );
}

/** The statements of policy documents as read from files (`Statement` a list or one object). */
export const fileStatements = (documents: readonly unknown[]): FileStatement[] =>
  documents.flatMap(
    (document) => [(document as { Statement?: unknown })?.Statement ?? []].flat() as FileStatement[],
  );

/** The strings of a policy field: one value or a list (anything else dropped). */
export const strings = (value: unknown): string[] =>
  [value ?? []].flat().filter((v): v is string => typeof v === 'string');

const actionContains = (pattern: string, action: string): boolean =>
  patternContains(pattern.toLowerCase(), action.toLowerCase());

/** The statement names the action and a pattern containing every ARN of the grant's. */
function allowsAll(statement: FileStatement, grant: Grant): boolean {
  return (
    strings(statement.Action).some((a) => actionContains(a, grant.action)) &&
    strings(statement.Resource).some((pattern) => patternContains(pattern, grant.resource))
  );
}

/**
 * The Deny may apply to one of the grant's ARNs: its actions (or all but its NotAction)
 * include the action, and its resources meet the grant's (or its NotResource leaves one out).
 */
function mayDeny(statement: FileStatement, grant: Grant): boolean {
  const action =
    statement.NotAction !== undefined
      ? !strings(statement.NotAction).some((a) => actionContains(a, grant.action))
      : strings(statement.Action).some((a) => actionContains(a, grant.action));
  const resource =
    statement.NotResource !== undefined
      ? !strings(statement.NotResource).some((pattern) => patternContains(pattern, grant.resource))
      : strings(statement.Resource).some((pattern) => globsIntersect(pattern, grant.resource));
  return action && resource;
}

/**
 * Every key the statement conditions on is satisfied by what the grant's request carries:
 * for StringEquals, the request's value is one of the statement's; for ForAnyValue:StringEquals,
 * one request value is; any other operator must appear in the grant exactly.
 */
function conditionHolds(statement: FileStatement['Condition'], needed: ConditionBlock | undefined): boolean {
  if (!statement) return true;
  return Object.entries(statement).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const allowed = [values].flat();
      const carried = [needed?.[operator]?.[key] ?? []].flat();
      if (operator === 'StringEquals') return carried.length > 0 && carried.every((v) => allowed.includes(v));
      if (operator === 'ForAnyValue:StringEquals') return carried.some((v) => allowed.includes(v));
      return carried.length === allowed.length && carried.every((v) => allowed.includes(v));
    }),
  );
}
