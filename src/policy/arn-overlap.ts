import { literalService, sameServiceField } from './arn-patterns';

/**
 * Whether an ARN pattern can match an ARN of a resource type's format: the intersection of two
 * glob languages (`*` in the pattern; every `${Variable}` of the format is a `*`). Used to prove
 * that adding a resource to a statement gives its actions nothing new.
 */

/** True when some string matches both globs (only `*` is special; `?` counts as `*`). */
export function globsIntersect(a: string, b: string): boolean {
  // 0: not visited yet, 1: no, 2: yes (one small array per call, not a Map: this runs thousands of times).
  const memo = new Uint8Array((a.length + 1) * (b.length + 1));
  const width = b.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo[key];
    if (known !== 0) return known === 2;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && isWild(a[i])) result = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (j < b.length && isWild(b[j])) result = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else result = i < a.length && j < b.length && a[i] === b[j] && visit(i + 1, j + 1);
    memo[key] = result ? 2 : 1;
    return result;
  };
  return visit(0, 0);
}

const isWild = (char: string): boolean => char === '*' || char === '?';

const formatGlobs = new Map<string, string>();

/** The format as a glob: every `${Variable}` (partition, region and account included) becomes `*`. */
export function formatGlob(format: string): string {
  let glob = formatGlobs.get(format);
  if (glob === undefined) {
    glob = format.replace(/\$\{[^}]+\}/g, '*').replace(/\*+/g, '*');
    formatGlobs.set(format, glob);
  }
  return glob;
}

/**
 * True when the pattern can match an ARN of the format. Patterns that write out another
 * service never do (a format whose service is a variable, AWS Backup's `${Vendor}`, may be of
 * any); otherwise the whole strings are intersected.
 */
export function patternMayMatchFormat(pattern: string, format: string): boolean {
  if (pattern === '*') return true;
  return sameServiceField(literalService(pattern), format) && globsIntersect(pattern, formatGlob(format));
}
