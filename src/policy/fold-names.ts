/**
 * Folding long name lists into prefix patterns, so a policy with many resources still fits
 * IAM's size limits without reaching past the project: a fold keeps a literal prefix of at
 * least MIN_FOLD_PREFIX characters, and never one that stops inside a stack-name anchor (a
 * shorter `amplify-` prefix would reach other projects' stacks). Pure functions.
 */

export interface NameGroup {
  /** `prefix*suffix`, or the only member's own name. */
  readonly pattern: string;
  readonly members: readonly string[];
}

export const MIN_FOLD_PREFIX = 6;

/** Text before the first wildcard. */
export const literalPrefix = (pattern: string): string => pattern.split(/[*?]/)[0];

/**
 * Groups sorted names by their longest shared prefix, merging the closest neighbours first
 * (the first pair of the list among equals), until at most `maxNames` groups remain or no
 * merge keeps an allowed prefix. A group is a range of the sorted names, and the prefix two
 * neighbouring groups share is the least of the prefixes of neighbouring names between them
 * (capped at the first name's literal prefix): each merge changes only the two pairs beside
 * it, so a heap of pairs makes the whole fold O(n log n) where merging by scanning every pair
 * each time was quadratic.
 */
export function foldNames(
  names: readonly string[],
  maxNames: number,
  anchors: readonly string[],
): NameGroup[] {
  const sorted = [...new Set(names)].sort();
  const n = sorted.length;
  // Group = range [start, end[start]] of sorted; groups linked by start index.
  const end = Int32Array.from(sorted, (_, i) => i);
  const next = Int32Array.from(sorted, (_, i) => (i + 1 < n ? i + 1 : -1));
  const prev = Int32Array.from(sorted, (_, i) => i - 1);
  const version = new Int32Array(n);
  const literal = sorted.map((name) => literalPrefix(name).length);
  const adjacent = sorted.slice(0, -1).map((name, i) => sharedLength(name, sorted[i + 1]));
  /** Least shared prefix length inside each group (Infinity for one name). */
  const inner = new Float64Array(n).fill(Infinity);
  const heap = new PairHeap();
  /** Queues the merge of the group at `start` with the next one, when its prefix is allowed. */
  const offer = (start: number): void => {
    version[start]++;
    const right = next[start];
    if (right < 0) return;
    const length = Math.min(literal[start], inner[start], adjacent[end[start]], inner[right]);
    if (allowedPrefix(sorted[start].slice(0, length), anchors))
      heap.push({ length, start, version: version[start] });
  };
  for (let i = 0; i < n; i++) offer(i);
  let groups = n;
  while (groups > maxNames) {
    const best = heap.pop();
    if (!best) break;
    if (best.version !== version[best.start]) continue;
    const right = next[best.start];
    inner[best.start] = Math.min(inner[best.start], adjacent[end[best.start]], inner[right]);
    end[best.start] = end[right];
    next[best.start] = next[right];
    if (next[right] >= 0) prev[next[right]] = best.start;
    version[right]++;
    groups--;
    offer(best.start);
    if (prev[best.start] >= 0) offer(prev[best.start]);
  }
  const result: NameGroup[] = [];
  for (let start = n > 0 ? 0 : -1; start >= 0; start = next[start]) {
    const members = sorted.slice(start, end[start] + 1);
    result.push({ pattern: members.length === 1 ? members[0] : foldPattern(members), members });
  }
  return result;
}

/** Length of the prefix two strings share. */
function sharedLength(a: string, b: string): number {
  const most = Math.min(a.length, b.length);
  let i = 0;
  while (i < most && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

interface Pair {
  readonly length: number;
  readonly start: number;
  readonly version: number;
}

/** A binary heap of candidate merges: the longest shared prefix first, then the first in name order. */
class PairHeap {
  private readonly items: Pair[] = [];

  push(pair: Pair): void {
    const items = this.items;
    items.push(pair);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): Pair | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < items.length && before(items[left], items[first])) first = left;
        if (right < items.length && before(items[right], items[first])) first = right;
        if (first === i) break;
        [items[i], items[first]] = [items[first], items[i]];
        i = first;
      }
    }
    return top;
  }
}

const before = (a: Pair, b: Pair): boolean =>
  a.length > b.length || (a.length === b.length && a.start < b.start);

/** A prefix long enough to name the project, and not cut inside one of its stack-name anchors. */
export function allowedPrefix(prefix: string, anchors: readonly string[]): boolean {
  if (prefix.length < MIN_FOLD_PREFIX) return false;
  return !anchors.some((anchor) => anchor.startsWith(prefix) && prefix.length < anchor.length);
}

/** `prefix*suffix` of the members: their common literal prefix and suffix around one `*`. */
export function foldPattern(members: readonly string[]): string {
  const prefix = commonPrefix(members);
  const shortest = Math.min(...members.map((m) => m.length));
  // Prefix and suffix must not overlap in the shortest member.
  const room = Math.max(0, shortest - prefix.length);
  const suffix = room === 0 ? '' : commonSuffix(members).slice(-room);
  return `${prefix}*${suffix}`.replace(/\*+/g, '*');
}

function commonPrefix(values: readonly string[]): string {
  const first = literalPrefix(values[0] ?? '');
  let length = first.length;
  for (const value of values) {
    let i = 0;
    while (i < length && value[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

function commonSuffix(values: readonly string[]): string {
  const reversed = values.map((value) => [...value].reverse().join(''));
  return [...commonPrefix(reversed)].reverse().join('');
}
