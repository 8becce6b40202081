import type { Statement } from '../model';
import { conditionKey } from './conditions';
import { compatible, MAX_MERGED_STATEMENT_SIZE, type Reach } from './merge-disjoint';
import { statementSize } from './render';
import { documentsFor } from './split';
import { append, servicesOf, statement, type DraftStatement } from './statements';

/**
 * Statements keep one service each, so that a reviewer reads each as what one service may do;
 * merging services only saves characters (one statement's Effect, condition and Sid instead of
 * two). When one service per statement needs more managed policies than `target` (what the
 * policy needs with services merged freely), merges pairs of statements, each time the pair
 * that saves the most characters (of those, the one with fewer services), until the documents take no more than `target` (each
 * statement counted with `sidRoom`, what its Sid will add); undefined
 * when that cannot be reached this way. Every merge keeps the allowed requests exactly: the two
 * statements share a condition and either the same resources or no action of one reaches a
 * resource of the other.
 */
export function mergeServicesWhereNeeded(
  drafts: readonly DraftStatement[],
  reach: Reach,
  sidRoom: (draft: DraftStatement) => number,
  target: number,
  maxStatementSize = MAX_MERGED_STATEMENT_SIZE,
): DraftStatement[] | undefined {
  let nextId = 0;
  const measure = (draft: DraftStatement): Measured => measured(draft, nextId++, sidRoom(draft));
  const current = drafts.map(measure);
  // Pairs are measured and judged once (a merge only adds pairs with the new statement), under
  // numeric keys: the loop below runs over every pair once per merge.
  const stride = 2 * drafts.length + 1;
  const sizes = new Map<number, number>();
  const canMerge = new Map<number, boolean>();
  const mergeable = (a: Measured, b: Measured): boolean => {
    const key = Math.min(a.id, b.id) * stride + Math.max(a.id, b.id);
    let result = canMerge.get(key);
    if (result === undefined) {
      result = shareable(a.draft.statement, b.draft.statement, reach);
      canMerge.set(key, result);
    }
    return result;
  };
  const pairSize = (a: Measured, b: Measured): number => {
    const key = a.id * stride + b.id;
    let size = sizes.get(key);
    if (size === undefined) {
      size = mergedSize(a, b);
      sizes.set(key, size);
    }
    return size;
  };
  while (documentsFor(current.map((m) => m.size + m.sidRoom)) > target) {
    let best: BestPair | undefined;
    // One small function per statement rather than one long loop: V8 compiles it quickly
    // instead of replacing this whole function on the stack (and a CLI run waits at exit for
    // compiles still in flight).
    for (let i = 0; i < current.length; i++)
      best = bestWith(current, i, best, pairSize, mergeable, maxStatementSize);
    if (!best) return undefined;
    const [a, b] = [current[best.i].draft, current[best.j].draft];
    const grants = [...a.grants];
    append(grants, b.grants);
    const merged: DraftStatement = {
      statement: statement(
        [...a.statement.Action, ...b.statement.Action],
        [...a.statement.Resource, ...b.statement.Resource],
        a.statement.Condition,
      ),
      grants,
    };
    current.splice(best.j, 1);
    current[best.i] = measure(merged);
  }
  return current.map((m) => m.draft);
}

interface BestPair {
  readonly i: number;
  readonly j: number;
  readonly services: number;
  readonly saving: number;
}

/**
 * The best of `best` and the pairs of current[i] with the statements after it: the most
 * characters saved, then the fewest services (the first such pair in order).
 */
function bestWith(
  current: readonly Measured[],
  i: number,
  best: BestPair | undefined,
  pairSize: (a: Measured, b: Measured) => number,
  mergeable: (a: Measured, b: Measured) => boolean,
  maxStatementSize: number,
): BestPair | undefined {
  const a = current[i];
  // A merge is at least as large as either statement's values in the other's frame: pairs
  // that cannot fit are skipped before their union is measured.
  if (a.size > maxStatementSize) return best;
  for (let j = i + 1; j < current.length; j++) {
    const b = current[j];
    if (a.frame + b.size - b.frame > maxStatementSize) continue;
    const size = pairSize(a, b);
    if (size > maxStatementSize) continue;
    const saving = a.size + b.size - size;
    if (best && saving < best.saving) continue;
    const services = a.services.length + b.services.filter((service) => !a.services.includes(service)).length;
    const better = !best || saving > best.saving || services < best.services;
    if (better && mergeable(a, b)) best = { i, j, services, saving };
  }
  return best;
}

/** A draft with what its merged size is computed from, without rendering the merge. */
interface Measured {
  readonly id: number;
  readonly draft: DraftStatement;
  readonly size: number;
  /** The statement's size without its Action and Resource values. */
  readonly frame: number;
  readonly actions: ReadonlyMap<string, number>;
  readonly resources: ReadonlyMap<string, number>;
  readonly services: readonly string[];
  /** What its Sid will add. */
  readonly sidRoom: number;
}

function measured(draft: DraftStatement, id: number, sidRoom: number): Measured {
  const lengths = (values: readonly string[]): Map<string, number> =>
    new Map(values.map((v) => [v, JSON.stringify(v).length]));
  const actions = lengths(draft.statement.Action);
  const resources = lengths(draft.statement.Resource);
  const size = statementSize(draft.statement);
  const frame = size - listSize(actions) - listSize(resources);
  return { id, draft, size, frame, actions, resources, services: servicesOf(draft.statement), sidRoom };
}

/** The size of a list as rendered: a single value unwrapped, else brackets and commas. */
const listSize = (values: ReadonlyMap<string, number>, more?: ReadonlyMap<string, number>): number => {
  let count = values.size;
  let sum = 0;
  for (const length of values.values()) sum += length;
  if (more)
    for (const [value, length] of more)
      if (!values.has(value)) {
        count += 1;
        sum += length;
      }
  return count === 1 ? sum : 2 + sum + count - 1;
};

/** The size of the two merged (same condition: one frame), from the sizes of their parts. */
const mergedSize = (a: Measured, b: Measured): number =>
  a.frame + listSize(a.actions, b.actions) + listSize(a.resources, b.resources);

/** Statements that can share one without allowing anything new. */
function shareable(a: Statement, b: Statement, reach: Reach): boolean {
  if (conditionKey(a.Condition) !== conditionKey(b.Condition)) return false;
  const sameResources =
    a.Resource.length === b.Resource.length && a.Resource.every((r, i) => r === b.Resource[i]);
  return sameResources || compatible(a, b, reach);
}
