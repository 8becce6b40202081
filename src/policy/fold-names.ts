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
 * Groups sorted names by their longest shared prefix, merging the closest neighbours first,
 * until at most `maxNames` groups remain or no merge keeps an allowed prefix.
 */
export function foldNames(
  names: readonly string[],
  maxNames: number,
  anchors: readonly string[],
): NameGroup[] {
  let groups: NameGroup[] = [...new Set(names)].sort().map((name) => ({ pattern: name, members: [name] }));
  while (groups.length > maxNames) {
    let best = -1;
    let bestLength = -1;
    for (let i = 0; i + 1 < groups.length; i++) {
      const prefix = commonPrefix([...groups[i].members, ...groups[i + 1].members]);
      if (prefix.length > bestLength && allowedPrefix(prefix, anchors)) {
        best = i;
        bestLength = prefix.length;
      }
    }
    if (best < 0) break;
    const members = [...groups[best].members, ...groups[best + 1].members];
    groups = [
      ...groups.slice(0, best),
      { pattern: foldPattern(members), members },
      ...groups.slice(best + 2),
    ];
  }
  return groups;
}

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
