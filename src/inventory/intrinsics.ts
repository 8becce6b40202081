import { isRecord } from '../discovery/read-files';

/**
 * Resolves CloudFormation values (with intrinsic functions) to string patterns, for ARNs:
 * what is known (parameters, env, region, conditions) is filled in, anything else becomes `*`.
 * A value may resolve to several alternatives (an `Fn::If` on an unknown condition).
 */
export interface ResolveScope {
  /** Parameter values known before deployment (parameters.json, env, defaults). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The template's `Conditions` section. */
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly region?: string;
  readonly accountId?: string;
  readonly partition: string;
  /** Pattern of the stack's own name (`AWS::StackName`). */
  readonly stackName: string;
  /**
   * The value of `Fn::GetAtt [logicalId, attribute]`, or of `Ref logicalId` (attribute `Ref`)
   * for a resource of the template; undefined: unknown (`*`). May be an unknown with a cause.
   */
  readonly attribute?: (logicalId: string, attribute: string) => string | undefined;
}

/**
 * More alternatives than this for one value: the part that would multiply them becomes `*`
 * (a name built from many unknown conditions), so the work stays linear in the template's size.
 */
export const MAX_ALTERNATIVES = 16;
const UNKNOWN = '*';

/**
 * An unknown part with the reason it is unknown (an id assigned at creation, a nested stack's
 * output): a `*` that carries its cause through joins, parameters and nested stacks until the
 * name is reported (see resolveExplained). Every check for `*` treats it as unknown.
 */
const CAUSE_START = '\uE000';
const CAUSE_END = '\uE001';
const CAUSED = /\*\uE000([^\uE001]*)\uE001/g;

export const unknownBecause = (cause: string): string =>
  `${UNKNOWN}${CAUSE_START}${cause.replace(/[\uE000\uE001]/g, '')}${CAUSE_END}`;

/** A resolved value without its causes: every caused unknown becomes a plain `*`. */
export const withoutCauses = (value: string): string => collapseWildcards(value.replace(CAUSED, UNKNOWN));

/** One alternative of a resolved value and why its unknown parts are unknown (when known). */
export interface ExplainedPattern {
  readonly pattern: string;
  readonly causes: readonly string[];
}

/** Own properties only: a template's `Ref: constructor` or `Type: __proto__` is data, not a prototype member. */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export function resolvePatterns(value: unknown, scope: ResolveScope): string[] {
  return unique(resolveValues(value, scope).map(withoutCauses));
}

/** The patterns of a value, each with the causes of its unknown parts. */
export function resolveExplained(value: unknown, scope: ResolveScope): ExplainedPattern[] {
  const explained = new Map<string, Set<string>>();
  for (const raw of resolveValues(value, scope)) {
    const causes = explained.get(withoutCauses(raw)) ?? new Set<string>();
    for (const match of raw.matchAll(CAUSED)) causes.add(match[1]);
    explained.set(withoutCauses(raw), causes);
  }
  return [...explained].map(([pattern, causes]) => ({ pattern, causes: [...causes].sort() }));
}

/**
 * The alternatives of a value with their caused unknowns kept: what a parent stack passes to a
 * nested stack's parameters, so the child's names still say why a part is unknown.
 */
export function resolveValues(value: unknown, scope: ResolveScope): string[] {
  return unique(resolve(value, scope, 0).map(collapseWildcards));
}

function resolve(value: unknown, scope: ResolveScope, depth: number): string[] {
  if (depth > 20) return [UNKNOWN];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (!isRecord(value)) return [UNKNOWN];
  const [fn, arg] = Object.entries(value)[0] ?? [];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? refValue(arg, scope) : [UNKNOWN];
    case 'Fn::Join':
      return join(arg, scope, depth);
    case 'Fn::Sub':
      return sub(arg, scope, depth);
    case 'Fn::If':
      return ifValue(arg, scope, depth);
    case 'Fn::Select':
      return select(arg, scope, depth);
    case 'Fn::GetAtt':
      return getAtt(arg, scope);
    default:
      return [UNKNOWN];
  }
}

function refValue(name: string, scope: ResolveScope): string[] {
  switch (name) {
    case 'AWS::Region':
      return [scope.region ?? UNKNOWN];
    case 'AWS::AccountId':
      return [scope.accountId ?? UNKNOWN];
    case 'AWS::Partition':
      return [scope.partition];
    case 'AWS::StackName':
      return [scope.stackName];
    case 'AWS::URLSuffix':
      return ['amazonaws.com'];
    case 'AWS::NoValue':
      return [];
    default:
      return [own(scope.parameters, name) ?? scope.attribute?.(name, 'Ref') ?? UNKNOWN];
  }
}

/** `Fn::GetAtt [logicalId, attribute]`, `Fn::GetAtt "logicalId.attribute"` or `${logicalId.attribute}` in a Sub. */
function getAtt(arg: unknown, scope: ResolveScope): string[] {
  const dot = typeof arg === 'string' ? arg.indexOf('.') : -1;
  const [logicalId, attribute] =
    typeof arg === 'string' ? [arg.slice(0, dot), arg.slice(dot + 1)] : Array.isArray(arg) ? arg : [];
  if (typeof logicalId !== 'string' || typeof attribute !== 'string' || !logicalId || !attribute)
    return [UNKNOWN];
  return [scope.attribute?.(logicalId, attribute) ?? UNKNOWN];
}

function join(arg: unknown, scope: ResolveScope, depth: number): string[] {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string') return [UNKNOWN];
  const items = resolveList(arg[1], scope, depth);
  if (!items) return [UNKNOWN];
  return product(items).map((parts) => parts.join(arg[0] as string));
}

/** Each element's alternatives, for a literal list or `Fn::Split`; undefined when the list is unknown. */
function resolveList(value: unknown, scope: ResolveScope, depth: number): string[][] | undefined {
  if (Array.isArray(value)) return value.map((item) => resolve(item, scope, depth + 1));
  if (isRecord(value) && Array.isArray(value['Fn::Split'])) {
    const [delimiter, source] = value['Fn::Split'] as unknown[];
    const sources = resolve(source, scope, depth + 1);
    if (typeof delimiter !== 'string' || sources.length !== 1 || sources[0].includes(UNKNOWN))
      return undefined;
    return sources[0].split(delimiter).map((part) => [part]);
  }
  return undefined;
}

function select(arg: unknown, scope: ResolveScope, depth: number): string[] {
  if (!Array.isArray(arg)) return [UNKNOWN];
  const index = Number(resolve(arg[0], scope, depth + 1)[0]);
  const items = resolveList(arg[1], scope, depth) ?? knownLeadingParts(arg[1], scope, depth);
  return items && Number.isInteger(index) && items[index] ? items[index] : [UNKNOWN];
}

/**
 * The parts of an `Fn::Split` of a partly known value that come before its first unknown part
 * (`amplify-lp-dev-12345-authlp-*` split on `-`: amplify, lp, dev, 12345, authlp): what an
 * `Fn::Select` of an early part can still use. The rest of the list is unknown.
 */
function knownLeadingParts(value: unknown, scope: ResolveScope, depth: number): string[][] | undefined {
  if (!isRecord(value) || !Array.isArray(value['Fn::Split'])) return undefined;
  const [delimiter, source] = value['Fn::Split'] as unknown[];
  const sources = resolve(source, scope, depth + 1);
  if (typeof delimiter !== 'string' || !delimiter || sources.length !== 1) return undefined;
  const parts = sources[0].split(delimiter);
  const firstUnknown = parts.findIndex((part) => part.includes(UNKNOWN));
  return parts.slice(0, firstUnknown < 0 ? parts.length : firstUnknown).map((part) => [part]);
}

function sub(arg: unknown, scope: ResolveScope, depth: number): string[] {
  const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
  if (typeof template !== 'string') return [UNKNOWN];
  const vars: Record<string, unknown> = isRecord(variables) ? variables : {};
  let results = [''];
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
    const literal = template.slice(last, match.index);
    const name = match[1];
    const values = name.startsWith('!')
      ? [`\${${name.slice(1)}}`]
      : Object.hasOwn(vars, name)
        ? resolve(vars[name], scope, depth + 1)
        : name.includes('.')
          ? getAtt(name, scope)
          : refValue(name, scope);
    results = extend(results, values.length ? values : [''], (prefix, v) => prefix + literal + v);
    last = match.index + match[0].length;
  }
  return results.map((prefix) => prefix + template.slice(last));
}

function ifValue(arg: unknown, scope: ResolveScope, depth: number): string[] {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string') return [UNKNOWN];
  const outcome = evaluateCondition(arg[0], scope);
  if (outcome === true) return resolve(arg[1], scope, depth + 1);
  if (outcome === false) return resolve(arg[2], scope, depth + 1);
  return capped([...resolve(arg[1], scope, depth + 1), ...resolve(arg[2], scope, depth + 1)]);
}

/** Conditions already evaluated per scope: a condition referenced many times is evaluated once. */
const evaluated = new WeakMap<ResolveScope, Map<string, boolean | undefined>>();

/** true/false when the condition depends only on known values; undefined otherwise (and for cycles). */
export function evaluateCondition(name: string, scope: ResolveScope, depth = 0): boolean | undefined {
  let cache = evaluated.get(scope);
  if (!cache) {
    cache = new Map();
    evaluated.set(scope, cache);
  }
  if (cache.has(name)) return cache.get(name);
  cache.set(name, undefined); // a condition that refers to itself stays unknown
  const outcome = evaluateExpression(own(scope.conditions, name), scope, depth + 1);
  cache.set(name, outcome);
  return outcome;
}

function evaluateExpression(expression: unknown, scope: ResolveScope, depth: number): boolean | undefined {
  if (depth > 20 || !isRecord(expression)) return undefined;
  const [fn, arg] = Object.entries(expression)[0] ?? [];
  const args = Array.isArray(arg) ? arg : [];
  switch (fn) {
    case 'Condition':
      return typeof arg === 'string' ? evaluateCondition(arg, scope, depth) : undefined;
    case 'Fn::Equals': {
      const [a, b] = args.map((item) => resolve(item, scope, depth));
      if (a?.length !== 1 || b?.length !== 1 || a[0].includes(UNKNOWN) || b[0].includes(UNKNOWN))
        return undefined;
      return a[0] === b[0];
    }
    case 'Fn::Not': {
      const inner = evaluateExpression(args[0], scope, depth + 1);
      return inner === undefined ? undefined : !inner;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const values = args.map((item) => evaluateExpression(item, scope, depth + 1));
      const decisive = fn === 'Fn::And' ? false : true;
      if (values.includes(decisive)) return decisive;
      return values.includes(undefined) ? undefined : !decisive;
    }
    default:
      return undefined;
  }
}

function product(lists: string[][]): string[][] {
  let results: string[][] = [[]];
  for (const list of lists) results = extend(results, list, (prefix, item) => [...prefix, item]);
  return results;
}

/**
 * Every result followed by every alternative of the next part; when that would make more than
 * MAX_ALTERNATIVES, the part becomes `*` instead (the known parts around it stay).
 */
function extend<T>(results: T[], next: readonly string[], combine: (result: T, item: string) => T): T[] {
  const alternatives = unique([...next]);
  const items = results.length * alternatives.length > MAX_ALTERNATIVES ? [UNKNOWN] : alternatives;
  return results.flatMap((result) => items.map((item) => combine(result, item)));
}

/** Too many alternatives for one value: one `*` for all of them. */
const capped = (values: string[]): string[] =>
  unique(values).length > MAX_ALTERNATIVES ? [UNKNOWN] : unique(values);
const collapseWildcards = (value: string): string => value.replace(/\*+/g, '*');
const unique = (values: string[]): string[] => [...new Set(values)];
