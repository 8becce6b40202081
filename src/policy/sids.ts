import type { Grant, Statement } from '../model';
import { formatGlob, globsIntersect } from './arn-overlap';
import type { IamReference } from './iam-reference';
import { serviceOf } from './statements';

/**
 * The longest Sid: with its JSON (`"Sid":"",`) it takes at most the room the split leaves each
 * statement for it (split.ts SID_ALLOWANCE), so a statement split to fit still fits with its Sid.
 */
export const MAX_SID_LENGTH = 31;
/** Room for the number that tells apart two statements of the same purpose (`…2`, up to `…99`). */
const NUMBER_ROOM = 2;
/** A Sid's JSON around its text. */
const SID_JSON = '"Sid":"",';
/** Room a statement's own JSON leaves for its Sid: `"Sid":"<at most MAX_SID_LENGTH>",` (split.ts). */
export const SID_ALLOWANCE = SID_JSON.length + MAX_SID_LENGTH;
/** What a Sid of this base adds to its statement, with room for the number that may follow it. */
export const sidRoom = (base: string): number => SID_JSON.length + base.length + NUMBER_ROOM;

/**
 * The IAM resource types (the reference's keys: `function`, `role`, `object`) of the actions
 * that an ARN pattern names; empty when none is known.
 */
export type ResourceTypesOf = (actions: readonly string[], pattern: string) => readonly string[];

/**
 * From the IAM reference: the resource types of the actions whose ARN formats the pattern may
 * match, preferring those with as many path parts as the pattern (`table/T` is a table, not
 * `table/T/index/I`, which its `*` could also match).
 */
export function resourceTypesFrom(iam: IamReference): ResourceTypesOf {
  const formatsOf = new Map<string, readonly TypedFormat[]>();
  // A statement's resources are named with the same list of actions: its formats are found once.
  const formatsOfList = new WeakMap<readonly string[], ReadonlyMap<string, TypedFormat>>();
  const matches = new Map<string, boolean>();
  const formatsOfActions = (actions: readonly string[]): ReadonlyMap<string, TypedFormat> => {
    const known = formatsOfList.get(actions);
    if (known) return known;
    const formats = new Map<string, TypedFormat>();
    for (const action of actions) {
      let own = formatsOf.get(action);
      if (own === undefined) {
        own = (iam.action(action)?.resourceTypes ?? []).flatMap((type) =>
          type.formats.map((format) => ({
            key: type.key,
            format,
            parts: parts(format),
            service: format.split(':')[2],
          })),
        );
        formatsOf.set(action, own);
      }
      for (const entry of own) formats.set(`${entry.key}\n${entry.format}`, entry);
    }
    formatsOfList.set(actions, formats);
    return formats;
  };
  return (actions, pattern) => {
    if (pattern === '*') return [];
    const service = pattern.split(':')[2];
    const matching = [...formatsOfActions(actions).entries()]
      .filter(([key, entry]) => {
        if (entry.service !== service) return false;
        const id = `${key}\n${pattern}`;
        let match = matches.get(id);
        if (match === undefined) {
          match = namesType(pattern, entry.format);
          matches.set(id, match);
        }
        return match;
      })
      .map(([, entry]) => entry);
    const own = parts(pattern);
    const exact = matching.filter((m) => m.parts === own);
    return [...new Set((exact.length > 0 ? exact : matching).map((m) => m.key))].sort();
  };
}

/** A resource type's ARN format, with the number of its path parts. */
interface TypedFormat {
  readonly key: string;
  readonly format: string;
  readonly parts: number;
  /** Its service field: a pattern of another service names none of its resources. */
  readonly service: string;
}

/**
 * The pattern may name a resource of the format: same service, and resource parts (what
 * follows the account field) that some name matches both of. Only the resource parts are
 * compared, so that a `*` elsewhere (an account) cannot stand for another type's path.
 */
function namesType(pattern: string, format: string): boolean {
  const [patternFields, formatFields] = [pattern.split(':'), format.split(':')];
  if (patternFields[2] !== formatFields[2]) return false;
  return globsIntersect(patternFields.slice(5).join(':'), formatGlob(formatFields.slice(5).join(':')));
}

/** Separators after the ARN's account field: `table/T` has one, `table/T/stream/S` three. */
const parts = (arn: string): number => {
  const resource = arn.split(':').slice(5).join(':');
  return (resource.match(/[/:]/g) ?? []).length;
};

/**
 * Gives statements stable Sids that say what each is for: the service (`Lambda`), what it acts
 * on (the IAM resource types of its resources, `Functions`; the action itself when it is the
 * only one, `PassRole`; `AnyResource` for `*`) and its purpose (`ViaCfn`: only CloudFormation
 * may use it; `ToLambda`: roles passed to that service; `WithBoundary`; `ForCli`: the Amplify
 * CLI's own calls; `InRegion`: pinned to the region). Statements with the same Sid get `2`,
 * `3`... in document order. Same statements, same Sids; each at most MAX_SID_LENGTH characters
 * of [A-Za-z0-9].
 */
export function assignSids(
  statements: readonly Statement[],
  grants: ReadonlyArray<readonly Grant[]> = [],
  namer: SidNamer = sidNamer(),
): Statement[] {
  const counts = new Map<string, number>();
  const bases = statements.map((statement, i) => namer(statement, grants[i] ?? []).slice(0, MAX_SID_LENGTH));
  const taken = new Set(bases);
  return statements.map((statement, i) => {
    const base = bases[i];
    let count = counts.get(base) ?? 0;
    let sid: string;
    do {
      count += 1;
      sid = count === 1 ? base : `${base.slice(0, MAX_SID_LENGTH - String(count).length)}${count}`;
    } while (count > 1 && taken.has(sid));
    counts.set(base, count);
    taken.add(sid);
    return { ...statement, Sid: sid };
  });
}

/** The Sid of a statement before numbering (service, subject, purpose), from it and the grants it allows. */
export type SidNamer = (statement: Statement, grants: readonly Grant[]) => string;

/** A namer that knows resource types through `resourceTypesOf` and names each statement once. */
export function sidNamer(resourceTypesOf: ResourceTypesOf = () => []): SidNamer {
  const named = new WeakMap<Statement, string>();
  return (statement, grants) => {
    let base = named.get(statement);
    if (base === undefined) {
      base = baseSid(statement, grants, resourceTypesOf);
      named.set(statement, base);
    }
    return base;
  };
}

/** The Sid before numbering: service, subject and purpose, shortened to fit. */
export function baseSid(
  statement: Statement,
  grants: readonly Grant[],
  resourceTypesOf: ResourceTypesOf = () => [],
): string {
  const services = [...new Set(statement.Action.map(serviceOf))];
  const purpose = purposeOf(statement, grants);
  const subjects = subjectsOf(statement, resourceTypesOf);
  const serviceParts =
    services.length === 1
      ? [pascal(services[0])]
      : [`${pascal(services[0])}And${services.length - 1}More`, `Services${services.length}`];
  const limit = MAX_SID_LENGTH - NUMBER_ROOM;
  for (const service of serviceParts)
    for (const subject of subjects) {
      const sid = `${service}${subject}${purpose}`;
      if (sid.length <= limit) return sid;
    }
  return `${serviceParts[serviceParts.length - 1]}${purpose}`.slice(0, limit) || 'Statement';
}

/** What the statement acts on, most telling first, shorter ones after (the first that fits wins). */
function subjectsOf(statement: Statement, resourceTypesOf: ResourceTypesOf): string[] {
  const single = statement.Action.length === 1 ? [statement.Action[0].split(':')[1] ?? ''] : [];
  if (statement.Resource.includes('*')) return [...single, 'AnyResource', 'Any'];
  const types: string[] = [];
  for (const resource of statement.Resource)
    for (const type of resourceTypesOf(statement.Action, resource))
      if (!types.includes(type)) types.push(type);
  const named = types.map((type) => plural(pascal(type)));
  const byType =
    named.length === 0
      ? []
      : named.length <= 2
        ? [named.join(''), `${named[0]}Etc`]
        : [`${named[0]}${named[1]}Etc`, `${named[0]}Etc`];
  return [...single, ...byType, ''];
}

/**
 * What the statement is for, from its condition and the requirements that need it: passing
 * roles to services, the permissions boundary, CloudFormation only, the Amplify CLI's own
 * calls, hand-written grants, the region pin.
 */
function purposeOf(statement: Statement, grants: readonly Grant[]): string {
  const condition = statement.Condition ?? {};
  const values = (key: string): string[] =>
    Object.values(condition).flatMap((keys) => (keys[key] === undefined ? [] : [keys[key]].flat()));
  const passedTo = values('iam:PassedToService');
  if (passedTo.length === 1) return `To${pascal(passedTo[0].split('.')[0])}`;
  if (passedTo.length > 1) return 'ToServices';
  if (values('iam:PermissionsBoundary').length > 0) return 'WithBoundary';
  if (values('iam:AWSServiceName').length > 0) return 'ForServiceRoles';
  if (values('aws:CalledVia').length > 0) return 'ViaCfn';
  const via = new Set<string>();
  for (const grant of grants)
    for (const origin of grant.origins) for (const r of origin) via.add(r.reason.via);
  if (via.size === 1 && via.has('cli')) return 'ForCli';
  if (via.size === 1 && via.has('override')) return 'FromOverrides';
  if (values('aws:RequestedRegion').length > 0) return 'InRegion';
  return Object.keys(condition).length > 0 ? 'If' : '';
}

const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** `Function` → `Functions`, `Policy` → `Policies`, `Index` → `Indexes`; a name ending in s stays. */
const plural = (name: string): string =>
  /s$/.test(name)
    ? name
    : /[^aeiou]y$/.test(name)
      ? `${name.slice(0, -1)}ies`
      : /(x|ch|sh)$/.test(name)
        ? `${name}es`
        : `${name}s`;
