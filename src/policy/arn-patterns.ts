/**
 * ARN pattern helpers over the Service Authorization Reference's formats
 * (`arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`).
 * Patterns use IAM's `*` wildcard; all functions are pure.
 */

export interface PseudoValues {
  readonly Partition: string;
  readonly Region: string;
  readonly Account: string;
}

const PSEUDO = new Set(['Partition', 'Region', 'Account']);
const VARIABLE = /\$\{([^}]+)\}/g;

/**
 * Which names fill a format's first variable: the service plus the literal text before that
 * variable. Formats that share it share names: `s3:::${BucketName}` and
 * `s3:::${BucketName}/${ObjectName}`, or a layer and its versions.
 */
export function nameKey(format: string): string | undefined {
  const parts = format.split(':');
  const service = parts[2];
  const resourcePart = parts.slice(5).join(':');
  const match = /\$\{([^}]+)\}/.exec(resourcePart);
  if (!service || !match || PSEUDO.has(match[1])) return undefined;
  return `${service}|${resourcePart.slice(0, match.index)}`;
}

/**
 * Variables that hold a resource-type word rather than a name, with their only value
 * (Kinesis: `arn:...:${StreamType}/${StreamName}/consumer/...`, the type is `stream`).
 */
const TYPE_WORD_VARIABLES: Readonly<Record<string, string>> = { StreamType: 'stream' };

/**
 * ARN patterns for a format: pseudo values filled in, type words fixed, the first variable
 * by each name, the rest `*`.
 */
export function buildArns(
  format: string,
  pseudo: PseudoValues,
  names: readonly string[] | undefined,
): string[] {
  const { before, after, withoutLeadingSlash } = formatParts(format, pseudo);
  const fills = names && names.length > 0 ? names : ['*'];
  if (after === undefined) return fills.map(() => collapse(before));
  return fills.map((name) =>
    collapse(`${before}${withoutLeadingSlash ? name.replace(/^\//, '') : name}${after}`),
  );
}

/** A format around its first variable (pseudo values and type words filled, later variables `*`); per pseudo values, per format. */
interface FormatParts {
  readonly before: string;
  /** undefined: the format has no variable left. */
  readonly after?: string;
  readonly withoutLeadingSlash: boolean;
}

const partsByPseudo = new WeakMap<PseudoValues, Map<string, FormatParts>>();

function formatParts(format: string, pseudo: PseudoValues): FormatParts {
  let byFormat = partsByPseudo.get(pseudo);
  if (!byFormat) {
    byFormat = new Map();
    partsByPseudo.set(pseudo, byFormat);
  }
  let parts = byFormat.get(format);
  if (!parts) {
    const withFixed = format
      .replace(/\$\{(Partition|Region|Account)\}/g, (_, key: keyof PseudoValues) => pseudo[key])
      .replace(VARIABLE, (whole, variable: string) => TYPE_WORD_VARIABLES[variable] ?? whole);
    const first = /\$\{([^}]+)\}/.exec(withFixed);
    parts = first
      ? {
          before: withFixed.slice(0, first.index),
          after: withFixed.slice(first.index + first[0].length).replace(VARIABLE, '*'),
          withoutLeadingSlash: first[1].endsWith('WithoutLeadingSlash'),
        }
      : { before: withFixed, withoutLeadingSlash: false };
    byFormat.set(format, parts);
  }
  return parts;
}

const formatPatterns = new Map<string, RegExp>();

/** A regular expression that accepts ARNs (or ARN patterns) of this format (built once per format). */
export function formatPattern(format: string): RegExp {
  let pattern = formatPatterns.get(format);
  if (!pattern) {
    const source = format
      .split(VARIABLE)
      .map((piece, index) =>
        index % 2 === 1 ? (piece === 'Partition' ? '(?:aws[-a-z]*|\\*)' : '.*') : escape(piece),
      )
      .join('');
    pattern = new RegExp(`^${source}$`);
    formatPatterns.set(format, pattern);
  }
  return pattern;
}

/**
 * The name an ARN (or pattern) gives in the format's first name variable (pseudo values and
 * type words skipped); undefined when the ARN does not have the format's shape.
 */
export function nameInArn(format: string, arn: string): string | undefined {
  const match = nameCapture(format).exec(arn);
  return match ? (match[1] ?? '') : undefined;
}

const nameCaptures = new Map<string, RegExp>();

/** The format as a regular expression capturing its first name variable (built once per format). */
function nameCapture(format: string): RegExp {
  let capture = nameCaptures.get(format);
  if (!capture) {
    let captured = false;
    const source = format
      .split(VARIABLE)
      .map((piece, index) => {
        if (index % 2 === 0) return escape(piece);
        if (piece === 'Partition') return '(?:aws[-a-z]*|\\*)';
        if (piece === 'Region' || piece === 'Account') return '[^:]*';
        if (!captured && !TYPE_WORD_VARIABLES[piece]) {
          captured = true;
          return '(.*?)';
        }
        return '.*';
      })
      .join('');
    capture = new RegExp(`^${source}$`);
    nameCaptures.set(format, capture);
  }
  return capture;
}

/** Literal characters of a format (its specificity: `s3:::${B}/${O}` before `s3:::${B}`). */
export const literalLength = (format: string): number => format.replace(VARIABLE, '').length;

const globs = new Map<string, RegExp>();
export const hasWildcard = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');

function globRegExp(pattern: string): RegExp {
  let regExp = globs.get(pattern);
  if (!regExp) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : escape(char)))
      .join('');
    regExp = new RegExp(`^${source}$`);
    globs.set(pattern, regExp);
  }
  return regExp;
}

/** True when every ARN `pattern` allows is also allowed by `wider` (IAM glob semantics, `*` and `?`). */
export function covers(wider: string, pattern: string): boolean {
  if (wider === pattern || wider === '*') return true;
  return hasWildcard(wider) && globRegExp(wider).test(pattern);
}

/**
 * Drops patterns another pattern of the list already covers; sorted. A wide pattern can only
 * cover patterns that start with its literal prefix (the text before its first wildcard), so
 * each pattern is compared with the wide patterns whose prefix it starts with: linear in
 * the number of patterns for a project's names, where comparing every pair was quadratic.
 */
export function withoutCovered(patterns: Iterable<string>): string[] {
  const unique = [...new Set(patterns)].sort();
  if (unique.length < 2 || !unique.some(hasWildcard)) return unique;
  const byPrefix = new Map<string, string[]>();
  for (const pattern of unique) {
    if (!hasWildcard(pattern)) continue;
    const prefix = literalPrefix(pattern);
    const group = byPrefix.get(prefix);
    if (group) group.push(pattern);
    else byPrefix.set(prefix, [pattern]);
  }
  const prefixLengths = [...new Set([...byPrefix.keys()].map((prefix) => prefix.length))];
  const candidates = (pattern: string): string[] =>
    prefixLengths.flatMap((length) =>
      length <= pattern.length ? (byPrefix.get(pattern.slice(0, length)) ?? []) : [],
    );
  return unique.filter(
    (pattern) =>
      !candidates(pattern).some(
        (other) => other !== pattern && covers(other, pattern) && !covers(pattern, other),
      ),
  );
}

/** The text before the first `*` or `?`. */
function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  const mark = pattern.indexOf('?');
  const first = star < 0 ? mark : mark < 0 ? star : Math.min(star, mark);
  return first < 0 ? pattern : pattern.slice(0, first);
}

/**
 * One pattern per ARN base (`arn:partition:service:region:account:`): the longest common
 * prefix of the patterns with that base, cut back to the last `:` or `/`, plus `*`.
 */
export function commonPrefixPatterns(patterns: readonly string[]): string[] {
  const byBase = new Map<string, string[]>();
  for (const pattern of patterns) {
    const base = pattern.split(':').slice(0, 5).join(':');
    const group = byBase.get(base);
    if (group) group.push(pattern);
    else byBase.set(base, [pattern]);
  }
  return [...byBase.values()].map((group) => {
    let prefix = group[0];
    for (const pattern of group) while (!pattern.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const cut = Math.max(prefix.lastIndexOf(':'), prefix.lastIndexOf('/'));
    return collapse(`${prefix.slice(0, cut + 1)}*`);
  });
}

/**
 * An ARN of the format with the partition, region and account of `like` (an ARN pattern) and
 * every other variable filled with a sample value: to test patterns wider than a format.
 */
export function sampleArn(format: string, like: string): string {
  const [, partition, , region, account] = like.split(':');
  const pick = (value: string | undefined, fallback: string): string =>
    value && value !== '*' ? value : fallback;
  const values: Record<string, string> = {
    Partition: pick(partition, 'aws'),
    Region: pick(region, 'us-east-1'),
    Account: pick(account, '123456789012'),
  };
  return format.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? 'sample');
}

const collapse = (value: string): string => value.replace(/\*+/g, '*');
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The service field of an ARN pattern when nothing before it is a wildcard (`lambda` of
 * `arn:aws:lambda:…`): such a pattern can only fit formats of that service. Undefined otherwise.
 */
export function literalService(resource: string): string | undefined {
  const fields = resource.split(':', 3);
  return fields.length === 3 && fields[0] === 'arn' && !/[*?]/.test(`${fields[1]}:${fields[2]}`)
    ? fields[2]
    : undefined;
}

/**
 * The service field of an IAM ARN format (`lambda` of `arn:${Partition}:lambda:…`); undefined
 * when it is a variable (AWS Backup's recovery points: `arn:${Partition}:${Vendor}:…`).
 */
export function formatService(format: string): string | undefined {
  const service = format.split(':', 3)[2];
  return service === undefined || service.includes('$') ? undefined : service;
}

/** The format may authorize the pattern as far as their service fields tell (literalService). */
export function sameServiceField(patternService: string | undefined, format: string): boolean {
  if (patternService === undefined) return true;
  const service = formatService(format);
  return service === undefined || service === patternService;
}
