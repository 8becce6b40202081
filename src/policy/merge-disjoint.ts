import type { Grant, Statement } from '../model';
import { patternMayMatchFormat } from './arn-overlap';
import type { IamReference } from './iam-reference';
import { statementSize } from './render';
import { conditionKey } from './conditions';
import { append, servicesOf, statement, type DraftStatement } from './statements';
import { compareText } from '../text-order';

/**
 * Merged statements stay below this size so that packing can still move them between
 * documents (aws-cdk keeps merged statements under 2,000 characters for the same reason).
 */
export const MAX_MERGED_STATEMENT_SIZE = 3000;

/**
 * Can the action be authorized on an ARN the pattern matches? True for actions the reference
 * does not know (to stay safe), false for actions without resource types (they need `*`).
 */
export type Reach = (action: string, resourcePattern: string) => boolean;

export function reachFrom(iam: IamReference): Reach {
  // By action, then pattern: no key text is made (and hashed) per question.
  const cache = new Map<string, Map<string, boolean>>();
  return (action, pattern) => {
    let ofAction = cache.get(action);
    if (!ofAction) cache.set(action, (ofAction = new Map<string, boolean>()));
    let reachable = ofAction.get(pattern);
    if (reachable === undefined) {
      const info = iam.action(action);
      reachable =
        !info ||
        info.resourceTypes.some((type) =>
          type.formats.some((format) => patternMayMatchFormat(pattern, format)),
        );
      ofAction.set(pattern, reachable);
    }
    return reachable;
  };
}

/**
 * Merges statements that share a condition when no action of one can be authorized on a
 * resource of the other (a Lambda function ARN gives `s3:PutBucketPolicy` nothing): the merged
 * statement allows exactly the same requests as the two did. This is what keeps a project's
 * policy within a few documents without widening anything; statements on `*` stay apart.
 * With `oneService`, only statements of the same single service merge.
 */
export function mergeAcrossResourceTypes(
  drafts: readonly DraftStatement[],
  reach: Reach,
  maxStatementSize = MAX_MERGED_STATEMENT_SIZE,
  oneService = false,
): DraftStatement[] {
  const merged: Merging[] = [];
  // Largest first, then by text: each statement's sort keys made once, not per comparison.
  const ordered = drafts
    .map((draft) => ({ draft, count: size(draft.statement), text: JSON.stringify(draft.statement) }))
    .sort((a, b) => b.count - a.count || compareText(a.text, b.text))
    .map(({ draft }) => draft);
  for (const candidate of ordered) {
    const own = statementSize(candidate.statement);
    const condition = conditionKey(candidate.statement.Condition);
    const service = oneService ? singleService(candidate.statement) : undefined;
    // A merge is never smaller than either statement: one already too big merges with nothing.
    const index =
      candidate.statement.Resource.includes('*') || own > maxStatementSize || service === null
        ? -1
        : merged.findIndex(
            (m) =>
              m.size <= maxStatementSize &&
              m.condition === condition &&
              m.service === service &&
              !m.statement.Resource.includes('*') &&
              noNewPairs(m.statement, candidate.statement, reach) &&
              noNewPairs(candidate.statement, m.statement, reach) &&
              mergedSize(m.statement, candidate.statement) <= maxStatementSize,
          );
    if (index < 0) {
      merged.push({
        statement: candidate.statement,
        grants: [...candidate.grants],
        size: own,
        condition,
        service,
      });
      continue;
    }
    const target = merged[index];
    target.statement = statement(
      [...target.statement.Action, ...candidate.statement.Action],
      [...target.statement.Resource, ...candidate.statement.Resource],
      target.statement.Condition,
    );
    target.size = statementSize(target.statement);
    append(target.grants, candidate.grants);
  }
  return merged.map(({ statement: merged, grants }) => ({ statement: merged, grants }));
}

/** A statement being merged into, with what decides its merges computed once. */
interface Merging {
  statement: Statement;
  readonly grants: Grant[];
  size: number;
  /** conditionKey of its condition: statements merge only under the same one. */
  readonly condition: string;
  /**
   * With `oneService`: its one service (null: it holds several, and merges with nothing);
   * otherwise undefined, for every statement alike.
   */
  readonly service: string | null | undefined;
}

/** The one service of a statement's actions; null when it holds several. */
function singleService(statement: Statement): string | null {
  const services = servicesOf(statement);
  return services.length === 1 ? services[0] : null;
}

export function compatible(a: Statement, b: Statement, reach: Reach): boolean {
  if (a.Resource.includes('*') || conditionKey(a.Condition) !== conditionKey(b.Condition)) return false;
  return noNewPairs(a, b, reach) && noNewPairs(b, a, reach);
}

/** Every pair (action of `from`, resource of `to`) is unreachable, or already allowed by `to`. */
function noNewPairs(from: Statement, to: Statement, reach: Reach): boolean {
  const allowed = actionSet(to.Action);
  return from.Action.every(
    (action) => allowed.has(action) || to.Resource.every((resource) => !reach(action, resource)),
  );
}

/** A statement's actions as a set, made once per list (statements are values). */
function actionSet(actions: readonly string[]): ReadonlySet<string> {
  let set = actionSets.get(actions);
  if (!set) actionSets.set(actions, (set = new Set(actions)));
  return set;
}
const actionSets = new WeakMap<readonly string[], ReadonlySet<string>>();

const size = (s: Statement): number => s.Action.length + s.Resource.length;
const mergedSize = (a: Statement, b: Statement): number =>
  statementSize(statement([...a.Action, ...b.Action], [...a.Resource, ...b.Resource], a.Condition));
