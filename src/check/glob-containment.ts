/**
 * Containment of IAM glob patterns: does every string one pattern matches also match another?
 * `*` matches any run of characters (a needed `*` stands for any name), `?` exactly one, every
 * other character itself. So `a?c` contains `abc` but not `a*c`, and `*` contains everything.
 *
 * Both patterns are read as automata over the characters they name plus one character neither
 * names (all such characters behave alike); the pairs (state of the inner pattern, set of
 * states of the outer one) reachable on the same input are explored, and an input the inner
 * pattern accepts while no outer state does is a counterexample. Exact, and returns it.
 */

/** A string `inner` matches and `outer` does not; undefined when `outer` contains `inner`. */
export function containmentCounterexample(outer: string, inner: string): string | undefined {
  const other = unusedCharacter(outer + inner);
  const alphabet = [...new Set((outer + inner).replace(/[*?]/g, '') + other)];
  const start = { inner: closure(inner, [0]), outer: closure(outer, [0]) };
  const seen = new Map<string, { parent?: string; char: string }>();
  const queue: Array<{ innerState: number; outerStates: number[]; id: string }> = [];
  for (const innerState of start.inner) {
    const id = `${innerState}|${start.outer.join(',')}`;
    if (!seen.has(id)) {
      seen.set(id, { char: '' });
      queue.push({ innerState, outerStates: start.outer, id });
    }
  }
  for (let next = 0; next < queue.length; next++) {
    const { innerState, outerStates, id } = queue[next];
    if (innerState === inner.length && !outerStates.includes(outer.length)) return pathTo(id, seen);
    for (const char of alphabet) {
      const innerNext = closure(inner, step(inner, [innerState], char));
      if (innerNext.length === 0) continue;
      const outerNext = closure(outer, step(outer, outerStates, char));
      for (const state of innerNext) {
        const nextId = `${state}|${outerNext.join(',')}`;
        if (seen.has(nextId)) continue;
        seen.set(nextId, { parent: id, char });
        queue.push({ innerState: state, outerStates: outerNext, id: nextId });
      }
    }
  }
  return undefined;
}

/** True when every string `inner` matches also matches `outer` (glob semantics, whole strings). */
export function globContains(outer: string, inner: string): boolean {
  if (outer === inner || /^\*+$/.test(outer)) return true;
  // Outer's literal prefix must open inner literally: a wildcard of inner there can be filled otherwise.
  const prefix = /^[^*?]*/.exec(outer)?.[0] ?? '';
  if (!inner.startsWith(prefix)) return false;
  const key = `${outer}\n${inner}`;
  let known = memo.get(key);
  if (known === undefined) {
    known = containmentCounterexample(outer, inner) === undefined;
    if (memo.size > MEMO_LIMIT) memo.clear();
    memo.set(key, known);
  }
  return known;
}

const memo = new Map<string, boolean>();
const MEMO_LIMIT = 50_000;

/**
 * Containment of an IAM resource (or action) pattern in a policy's pattern. ARNs are compared
 * segment by segment (partition, service, region, account: a wildcard stays inside its
 * segment, as IAM matches them), then the resource part as one glob; anything else as one glob.
 */
export function patternContains(outer: string, inner: string): boolean {
  const outerParts = arnParts(outer);
  const innerParts = arnParts(inner);
  if (!outerParts || !innerParts) return globContains(outer, inner);
  return outerParts.every((part, i) => globContains(part, innerParts[i]));
}

/** `arn:partition:service:region:account:resource` as its six parts; undefined for anything else. */
function arnParts(pattern: string): string[] | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** States reachable without reading: a `*` may match nothing. */
function closure(pattern: string, states: readonly number[]): number[] {
  const reached = new Set(states);
  for (const state of reached) if (pattern[state] === '*') reached.add(state + 1);
  return [...reached].sort((a, b) => a - b);
}

function step(pattern: string, states: readonly number[], char: string): number[] {
  const next = new Set<number>();
  for (const state of states) {
    const token = pattern[state];
    if (token === '*') next.add(state);
    else if (token === '?' || token === char) next.add(state + 1);
  }
  return [...next];
}

function pathTo(id: string, seen: Map<string, { parent?: string; char: string }>): string {
  const chars: string[] = [];
  for (let at: string | undefined = id; at !== undefined; at = seen.get(at)?.parent)
    chars.push(seen.get(at)?.char ?? '');
  return chars.reverse().join('');
}

/** A printable character that neither pattern names. */
function unusedCharacter(text: string): string {
  for (let code = 0x21; ; code++) {
    const char = String.fromCharCode(code);
    if (char !== '*' && char !== '?' && !text.includes(char)) return char;
  }
}
