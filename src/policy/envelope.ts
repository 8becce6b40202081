/**
 * The envelope, the one definition of "inside the project": every (action, resource) the
 * policy grants must lie inside it — the project's partition, account and region, and either
 * one named resource or a name anchored on the project's own identifiers (root stack name and
 * CloudFormation's 25-character cut of it, deployment bucket, app id). A grant outside it is a
 * typed widening with its cause, shown in `--json` (`widened`) and as a warning: never silent.
 * ARNs written by hand (learn, overrides.json) are judged by the same rules plus the project's
 * own names: a name must be one of them, or a pattern they cover (placeOf). Pure functions.
 */
import type { DeploymentNames } from '../discovery/deployment-names';
import type { Grant, Requirement } from '../model';
import {
  covers,
  hasWildcard,
  literalLength,
  literalService,
  nameInArn,
  nameKey,
  sampleArn,
  sameServiceField,
} from './arn-patterns';
import { literalPrefix } from './fold-names';
import type { ActionResourceType, IamReference } from './iam-reference';
import { warning, type Warning } from '../results';
import { compareText } from '../text-order';

export interface Envelope {
  readonly partition: string;
  /** undefined: not recorded (the project was never deployed), ARNs use `*`. */
  readonly region?: string;
  readonly account?: string;
  /** Identifiers of the project: a name whose literal prefix holds one is the project's. */
  readonly anchors: readonly string[];
  /** Literal prefix of the root stack's name pattern when the name itself is not recorded. */
  readonly unknownStackPrefix?: string;
  /**
   * The project's own resource names (exact or patterns), for ARNs written by hand: a name
   * none of them covers (and no anchor holds) is outside. Absent for the engine's own grants,
   * whose names all come from the project.
   */
  readonly names?: readonly string[];
  /** Why the region or account may be unknown (default: an Amplify env never deployed or pulled). */
  readonly unrecordedBecause?: string;
}

/** One granted ARN pattern wider than the project's own names, why, and which resources need it. */
export interface Widening {
  readonly pattern: string;
  readonly cause: string;
  readonly resources: readonly string[];
}

/** Causes that say the engine itself produced a grant outside the project: never expected. */
export const OUTSIDE_CAUSE = 'outside the project';

export function projectEnvelope(names: DeploymentNames, stackPrefixLength: number): Envelope {
  const known = (value: string): string | undefined => (hasWildcard(value) ? undefined : value);
  const stack = known(names.RootStackName);
  const anchors = [
    stack,
    stack?.slice(0, stackPrefixLength),
    known(names.DeploymentBucket),
    known(names.AppId),
  ];
  return {
    partition: names.Partition,
    region: known(names.Region),
    account: known(names.Account),
    anchors: [...new Set(anchors.filter((a): a is string => a !== undefined))].sort(),
    unknownStackPrefix: stack ? undefined : literalPrefix(names.RootStackName),
  };
}

/** Stack-name anchors a fold may not cut short (see fold-names). */
export const stackAnchors = (envelope: Envelope): string[] =>
  [...envelope.anchors, envelope.unknownStackPrefix ?? ''].filter((a) => a.startsWith('amplify-'));

/**
 * undefined when the grant lies inside the envelope, else why not. `causes` explains name
 * patterns the scope pass produced (ids assigned at creation, folds).
 */
export function widening(
  action: string,
  resource: string,
  iam: IamReference,
  envelope: Envelope,
  causes: ReadonlyMap<string, string>,
): string | undefined {
  const info = iam.action(action);
  const types = info?.resourceTypes ?? [];
  if (resource === '*') {
    return types.length === 0
      ? undefined
      : `IAM authorizes ${action} on ${types.map((t) => t.key).join(', ')}, and no ARN of the project was given`;
  }
  const [, partition, , region, account] = resource.split(':');
  if (partition !== envelope.partition) return `${OUTSIDE_CAUSE}: partition ${partition}`;
  const place =
    placeCause('region', region, envelope.region, envelope.unrecordedBecause) ??
    placeCause('account', account, envelope.account, envelope.unrecordedBecause);
  if (place?.startsWith(OUTSIDE_CAUSE)) return place;
  // Region or account not recorded: the name may be wider too, and the widening says both.
  const named = nameCause(action, resource, types, info !== undefined, envelope, causes);
  if (!place) return named;
  return named === undefined || named.startsWith(OUTSIDE_CAUSE) ? (named ?? place) : `${place}; ${named}`;
}

/** What the name part of a granted pattern adds to a widening (see widening). */
function nameCause(
  action: string,
  resource: string,
  types: readonly ActionResourceType[],
  known: boolean,
  envelope: Envelope,
  causes: ReadonlyMap<string, string>,
): string | undefined {
  // A pattern whose service field is written out fits only formats of that service.
  const service = literalService(resource);
  const ofService = (format: string): boolean => sameServiceField(service, format);
  const formats = types
    .flatMap((type) =>
      type.suffix ? [...type.formats.map((f) => `${f}${type.suffix}`), ...type.formats] : type.formats,
    )
    .filter((format) => ofService(format) && nameInArn(format, resource) !== undefined)
    .sort((a, b) => literalLength(b) - literalLength(a));
  if (formats.length === 0) {
    const spans = types
      .flatMap((type) => type.formats)
      .filter((format) => ofService(format) && covers(resource, sampleArn(format, resource)));
    // A prefix pattern (API Gateway's `/*`) over formats that name nothing: wide, yet in the account and region.
    if (spans.length > 0)
      return `one pattern for ${spans.length} ARN format(s) of ${action}, none of them named by the project`;
    return known
      ? `${OUTSIDE_CAUSE}: fits none of the resource types IAM lists for ${action}`
      : `${OUTSIDE_CAUSE}: ${action} is not in IAM's reference`;
  }
  const name = nameInArn(formats[0], resource) ?? '';
  return nameWidening(name, nameKey(formats[0]) ?? '', envelope, causes);
}

function placeCause(
  what: string,
  value: string | undefined,
  known: string | undefined,
  unrecordedBecause = 'the env was never deployed or pulled',
): string | undefined {
  if (value === undefined || value === '' || value === known || value === 'aws') return undefined;
  if (value === '*' && known === undefined) return `${what} not recorded (${unrecordedBecause})`;
  if (hasWildcard(value)) return `${OUTSIDE_CAUSE}: its ${what} is a wildcard`;
  if (known === undefined)
    return `${OUTSIDE_CAUSE}: ${what} ${value} (the project's is not recorded: deploy or pull the env once)`;
  return `${OUTSIDE_CAUSE}: ${what} ${value} is not the project's (${known})`;
}

function nameWidening(
  name: string,
  key: string,
  envelope: Envelope,
  causes: ReadonlyMap<string, string>,
): string | undefined {
  const prefix = literalPrefix(name);
  const anchored = envelope.anchors.some((anchor) => prefix.includes(anchor));
  // One named resource (or the caller itself: `${aws:username}`): by hand, one of the project's.
  if (!hasWildcard(name))
    return anchored || !envelope.names || ownName(name, envelope.names)
      ? undefined
      : namesNothing(name, envelope);
  if (anchored) return undefined;
  const cause = causes.get(`${key}|${name}`);
  if (cause) return cause;
  if (envelope.unknownStackPrefix && prefix.startsWith(envelope.unknownStackPrefix))
    return 'root stack name not recorded (the env was never deployed or pulled)';
  if (envelope.names && !ownName(name, envelope.names)) return namesNothing(name, envelope);
  if (name === '*') return 'no resource of this type is named by the project';
  return 'part of the name is not known before deployment';
}

/** A project name that allows every name the pattern allows. */
const ownName = (name: string, names: readonly string[]): boolean =>
  names.some((own) => own === name || (hasWildcard(own) && covers(own, name)));

const namesNothing = (name: string, envelope: Envelope): string =>
  `${OUTSIDE_CAUSE}: ${name} names nothing of the project (its stacks, bucket and app ${envelope.anchors.join(', ') || '(not recorded)'}, or a resource name from its templates)`;

/** Where an ARN written by hand (learn, overrides.json) lies; `reason` says why it is outside, or which widening it is. */
export interface PlaceCheck {
  readonly inside: boolean;
  readonly reason?: string;
}

/** The envelope with the project's own names, and why its name patterns are patterns: what ARNs written by hand are judged by. */
export interface HandWrittenScope {
  readonly envelope: Envelope;
  readonly causes: ReadonlyMap<string, string>;
}

/** The scope for ARNs written by hand: the engine's envelope plus the name registry's names and causes. */
export function handWrittenScope(
  envelope: Envelope,
  registry: {
    readonly names: ReadonlyMap<string, readonly string[]>;
    readonly causes: ReadonlyMap<string, string>;
  },
): HandWrittenScope {
  const names = [...new Set([...registry.names.values()].flat())].filter((name) => name !== '*').sort();
  return { envelope: { ...envelope, names }, causes: registry.causes };
}

/**
 * Is a hand-written (action, ARN) inside the project? Inside: what the envelope places inside,
 * and the project's own name patterns that generate grants too (ids assigned at creation:
 * `reason` names that widening). Outside: everything else, with why.
 */
export function placeOf(
  action: string,
  resource: string,
  iam: IamReference,
  scope: HandWrittenScope,
): PlaceCheck {
  if (resource === '*') return { inside: false, reason: 'it is every resource ("*")' };
  if (!/^arn:[^:]*:[^:]*:[^:]*:[^:]*:./.test(resource)) return { inside: false, reason: 'it is not an ARN' };
  const cause = widening(action, resource, iam, scope.envelope, scope.causes);
  if (cause === undefined) return { inside: true };
  const own = [...scope.causes.values()].includes(cause);
  return own
    ? { inside: true, reason: `a widening generate reports too: ${cause}` }
    : { inside: false, reason: cause.replace(`${OUTSIDE_CAUSE}: `, '') };
}

/** The widenings of a set of grants, one per (pattern, cause), with the resources that need each. */
export function widenings(
  grants: readonly Grant[],
  iam: IamReference,
  envelope: Envelope,
  causes: ReadonlyMap<string, string>,
): Widening[] {
  const found = new Map<
    string,
    { pattern: string; cause: string; resources: Set<string>; seen: Set<readonly Requirement[]> }
  >();
  const judged = new Map<string, string | undefined>();
  for (const { action, resource, origins } of grants) {
    const key = `${action} ${resource}`;
    if (!judged.has(key)) judged.set(key, widening(action, resource, iam, envelope, causes));
    const cause = judged.get(key);
    if (cause === undefined) continue;
    const id = `${resource} ${cause}`;
    const entry = found.get(id) ?? { pattern: resource, cause, resources: new Set(), seen: new Set() };
    found.set(id, entry);
    // Grants share their origin groups: each group is read once per widening.
    for (const group of origins) {
      if (entry.seen.has(group)) continue;
      entry.seen.add(group);
      for (const requirement of group) entry.resources.add(requirement.reason.resource);
    }
  }
  return [...found.values()]
    .map(({ pattern, cause, resources }) => ({ pattern, cause, resources: [...resources].sort() }))
    .sort((a, b) => compareText(a.pattern, b.pattern) || compareText(a.cause, b.cause));
}

/** One warning line for the widenings, by cause. */
export function wideningWarning(list: readonly Widening[]): Warning[] {
  if (list.length === 0) return [];
  const byCause = new Map<string, number>();
  for (const { cause } of list) byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  const causes = [...byCause]
    .sort((a, b) => b[1] - a[1])
    .map(([cause, count]) => `${count} × ${cause}`)
    .join('; ');
  return [
    warning(
      'widened',
      `${list.length} granted ARN pattern(s) are wider than the project's own names (listed under "widened" in --json): ${causes}.`,
    ),
  ];
}
