/**
 * Merges overrides.json into the grants, after the scoping and condition passes:
 * exclusions take out computed grants whose (action, resource) they match, and grants are
 * added exactly as written (no scoping, no region pin, no widening). Pure.
 */
import type { Grant, Phase, Reason, Requirement } from '../model';
import { projectError } from '../errors';
import { covers } from '../policy/arn-patterns';
import type { IamReference } from '../policy/iam-reference';
import { placeOf, type HandWrittenScope } from '../policy/envelope';
import { OVERRIDES_FILE, type OverrideGrant, type Overrides } from './overrides-file';
import { warning, type Warning } from '../results';

export interface AppliedGrant {
  /** Index in the file's `grants`. */
  readonly index: number;
  readonly grant: OverrideGrant;
  /** Where it comes from, for people: `learned 2026-05-01 from a message: "..."` or `hand-written: reason`. */
  readonly source: string;
}

export interface ExcludedGrant {
  /** Index in the file's `exclusions`. */
  readonly exclusion: number;
  readonly reason: string;
  readonly action: string;
  readonly resource: string;
  /** What needed the grant that was removed. */
  readonly neededBy: string;
}

export interface OverrideGrants {
  readonly grants: readonly Grant[];
  readonly applied: readonly AppliedGrant[];
  readonly warnings: readonly Warning[];
}

export interface OverridesApplied {
  readonly grants: Grant[];
  readonly applied: readonly AppliedGrant[];
  readonly excluded: readonly ExcludedGrant[];
  readonly warnings: readonly Warning[];
}

/** What generate reports about the overrides: the grants applied and the computed grants excluded. */
export interface OverridesReport {
  readonly grants: readonly AppliedGrant[];
  readonly excluded: readonly ExcludedGrant[];
}

export const NOTHING_APPLIED: OverridesApplied = { grants: [], applied: [], excluded: [], warnings: [] };

/** Every action the grants name: the IAM reference must know them. */
export const overrideActions = (overrides: Overrides): string[] => overrides.grants.flatMap((g) => g.actions);

/**
 * The grants that apply to this env and these phases, each with its requirements (one per
 * phase) of reason `override`. An action IAM does not know is an error; a resource outside
 * the project is granted as written and reported.
 */
export function overrideRequirements(
  overrides: Overrides,
  iam: IamReference,
  target: { readonly env?: string; readonly phases: readonly Phase[]; readonly envelope: HandWrittenScope },
): OverrideGrants {
  const granted: Grant[] = [];
  const applied: AppliedGrant[] = [];
  const warnings: Warning[] = [];
  overrides.grants.forEach((grant, index) => {
    const where = `${OVERRIDES_FILE} grants[${index}]`;
    const unknown = grant.actions.filter((action) => !iam.action(action));
    if (unknown.length > 0)
      throw projectError(
        `${where} names ${unknown.join(', ')}, which IAM does not know.`,
        'Use the action names of the Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).',
      );
    if (grant.env !== undefined && grant.env !== target.env) return;
    const phases = grant.phases ? target.phases.filter((p) => grant.phases?.includes(p)) : target.phases;
    if (phases.length === 0) return;
    const source = describeSource(grant);
    applied.push({ index, grant, source });
    for (const resource of grant.resources) {
      const place = grant.actions
        .map((action) => placeOf(action, resource, iam, target.envelope))
        .find((check) => !check.inside);
      if (place)
        warnings.push(
          warning(
            'override-outside',
            `${where} grants ${grant.actions.join(', ')} on ${resource}, outside the project (${place.reason}): granted as written.`,
          ),
        );
    }
    const reason: Reason = {
      via: 'override',
      resource: `overrides.json grants[${index}]`,
      summary: source,
      detail: source,
      source: OVERRIDES_FILE,
    };
    for (const action of grant.actions) {
      const canonical = iam.action(action)?.name ?? action;
      for (const resource of grant.resources) {
        const needs: Requirement[] = phases.map((phase) => ({
          action: canonical,
          resource,
          ...(grant.condition ? { condition: grant.condition } : {}),
          phase,
          reason,
        }));
        granted.push({
          action: canonical,
          resource,
          ...(grant.condition ? { condition: grant.condition } : {}),
          origins: [needs],
        });
      }
    }
  });
  return { grants: granted, applied, warnings };
}

/** Computed grants less the excluded ones, plus the grants of the file. */
export function applyOverrides(
  computed: readonly Grant[],
  overrides: Overrides,
  added: OverrideGrants,
  env: string | undefined,
): OverridesApplied {
  const exclusions = overrides.exclusions
    .map((exclusion, index) => ({ exclusion, index }))
    .filter(({ exclusion }) => exclusion.env === undefined || exclusion.env === env);
  const kept: Grant[] = [];
  const excluded: ExcludedGrant[] = [];
  const used = new Set<number>();
  const partial = new Map<string, Warning>();
  for (const grant of computed) {
    const match = exclusions.find(
      ({ exclusion }) =>
        actionMatches(exclusion.actions, grant.action) &&
        exclusion.resources.some((pattern) => covers(pattern, grant.resource)),
    );
    if (match) {
      used.add(match.index);
      const { reason } = grant.origins[0][0];
      excluded.push({
        exclusion: match.index,
        reason: match.exclusion.reason,
        action: grant.action,
        resource: grant.resource,
        neededBy: `${reason.resource}: ${reason.detail}`,
      });
      continue;
    }
    kept.push(grant);
    for (const { exclusion, index } of exclusions)
      if (
        actionMatches(exclusion.actions, grant.action) &&
        exclusion.resources.some((pattern) => covers(grant.resource, pattern))
      )
        partial.set(
          `${index} ${grant.action} ${grant.resource}`,
          warning(
            'override-partial',
            `${OVERRIDES_FILE} exclusions[${index}] matches part of ${grant.action} on ${grant.resource}, which is kept: an exclusion removes whole grants only.`,
          ),
        );
  }
  const unused = exclusions
    .filter(({ index }) => !used.has(index))
    .map(({ index }) =>
      warning('override-unused', `${OVERRIDES_FILE} exclusions[${index}] matches no grant of this policy.`),
    );
  return {
    grants: [...kept, ...added.grants],
    applied: added.applied,
    excluded: dedupe(excluded),
    warnings: [...added.warnings, ...partial.values(), ...unused],
  };
}

/** One entry per exclusion, action and resource (a grant needed in several phases is one grant). */
function dedupe(excluded: readonly ExcludedGrant[]): ExcludedGrant[] {
  const seen = new Map<string, ExcludedGrant>();
  for (const entry of excluded)
    seen.set(
      `${entry.exclusion} ${entry.action} ${entry.resource}`,
      seen.get(`${entry.exclusion} ${entry.action} ${entry.resource}`) ?? entry,
    );
  return [...seen.values()];
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((pattern) =>
    new RegExp(
      `^${pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
      'i',
    ).test(action),
  );
}

export function describeSource(grant: OverrideGrant): string {
  if (grant.learned) {
    const from = grant.learned.from === 'message' ? 'a message' : 'the stack events';
    const message =
      grant.learned.message.length > 160
        ? `${grant.learned.message.slice(0, 157)}...`
        : grant.learned.message;
    return `learned ${grant.learned.date} from ${from}: "${message}"${grant.reason ? ` (${grant.reason})` : ''}`;
  }
  return `hand-written: ${grant.reason ?? ''}`;
}
