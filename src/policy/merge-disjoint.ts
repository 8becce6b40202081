import type { Statement } from '../model';
import { patternMayMatchFormat } from './arn-overlap';
import type { IamReference } from './iam-reference';
import { statementSize } from './render';
import { conditionKey, statement } from './statements';

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
  const cache = new Map<string, boolean>();
  return (action, pattern) => {
    const key = `${action}\n${pattern}`;
    let reachable = cache.get(key);
    if (reachable === undefined) {
      const info = iam.action(action);
      reachable =
        !info ||
        info.resourceTypes.some((type) =>
          type.formats.some((format) => patternMayMatchFormat(pattern, format)),
        );
      cache.set(key, reachable);
    }
    return reachable;
  };
}

/**
 * Merges statements that share a condition when no action of one can be authorized on a
 * resource of the other (a Lambda function ARN gives `s3:PutBucketPolicy` nothing): the merged
 * statement allows exactly the same requests as the two did. This is what keeps a project's
 * policy within a few documents without widening anything; statements on `*` stay apart.
 */
export function mergeAcrossResourceTypes(
  statements: readonly Statement[],
  reach: Reach,
  maxStatementSize = MAX_MERGED_STATEMENT_SIZE,
): Statement[] {
  const merged: Statement[] = [];
  const ordered = [...statements].sort(
    (a, b) => size(b) - size(a) || JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );
  for (const candidate of ordered) {
    const index = candidate.Resource.includes('*')
      ? -1
      : merged.findIndex(
          (m) => compatible(m, candidate, reach) && mergedSize(m, candidate) <= maxStatementSize,
        );
    if (index < 0) {
      merged.push(candidate);
      continue;
    }
    const target = merged[index];
    merged[index] = statement(
      [...target.Action, ...candidate.Action],
      [...target.Resource, ...candidate.Resource],
      target.Condition,
    );
  }
  return merged;
}

function compatible(a: Statement, b: Statement, reach: Reach): boolean {
  if (a.Resource.includes('*') || conditionKey(a.Condition) !== conditionKey(b.Condition)) return false;
  return noNewPairs(a, b, reach) && noNewPairs(b, a, reach);
}

/** Every pair (action of `from`, resource of `to`) is unreachable, or already allowed by `to`. */
function noNewPairs(from: Statement, to: Statement, reach: Reach): boolean {
  return from.Action.every(
    (action) => to.Action.includes(action) || to.Resource.every((resource) => !reach(action, resource)),
  );
}

const size = (s: Statement): number => s.Action.length + s.Resource.length;
const mergedSize = (a: Statement, b: Statement): number =>
  statementSize(statement([...a.Action, ...b.Action], [...a.Resource, ...b.Resource], a.Condition));
