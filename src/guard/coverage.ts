import type { ConditionBlock } from '../model';
import { covers } from '../policy/arn-patterns';
import type { ScopedRequirement } from '../policy/scope';

/** A statement as found in a policy file (possibly edited by hand): single values or lists. */
interface FileStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | readonly string[];
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/**
 * The requirements no statement of the documents allows. A statement allows a requirement when
 * it names the action (IAM wildcards and case allowed), a resource pattern covering the
 * requirement's, and a condition the requirement's own context satisfies. Deny statements that
 * match count against; NotAction and NotResource are not interpreted (their requirements count
 * as not covered, never the other way round).
 */
export function uncoveredRequirements(
  requirements: readonly ScopedRequirement[],
  documents: readonly unknown[],
): ScopedRequirement[] {
  const statements = documents.flatMap(
    (document) => [(document as { Statement?: unknown })?.Statement ?? []].flat() as FileStatement[],
  );
  const allows = statements.filter(
    (s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined,
  );
  const denies = statements.filter((s) => s.Effect === 'Deny');
  return requirements.filter(
    (r) =>
      !allows.some((s) => matches(s, r) && conditionHolds(s.Condition, r.condition)) ||
      denies.some((s) => matches(s, r)),
  );
}

function matches(statement: FileStatement, requirement: ScopedRequirement): boolean {
  const actions = [statement.Action ?? []].flat();
  const resources = [statement.Resource ?? []].flat();
  return (
    actions.some((a) => covers(a.toLowerCase(), requirement.action.toLowerCase())) &&
    resources.some((pattern) => covers(pattern, requirement.resource))
  );
}

/**
 * Every key the statement conditions on is satisfied by what the requirement's request carries:
 * for StringEquals, the request's value is one of the statement's; for ForAnyValue:StringEquals,
 * one request value is; any other operator must appear in the requirement exactly.
 */
function conditionHolds(
  statement: FileStatement['Condition'],
  requirement: ConditionBlock | undefined,
): boolean {
  if (!statement) return true;
  return Object.entries(statement).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const allowed = [values].flat();
      const carried = [requirement?.[operator]?.[key] ?? []].flat();
      if (operator === 'StringEquals') return carried.length > 0 && carried.every((v) => allowed.includes(v));
      if (operator === 'ForAnyValue:StringEquals') return carried.some((v) => allowed.includes(v));
      return carried.length === allowed.length && carried.every((v) => allowed.includes(v));
    }),
  );
}
