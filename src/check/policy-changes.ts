import fs = require('node:fs');
import path = require('node:path');
import { policiesFor, readAmplifyProject, type GenerateOptions, type GenerateResult } from '../engine';
import { resourceLabel } from '../inventory/resource-label';
import { ALL_PHASES, DEFAULT_PHASES, type Phase, type Reason } from '../model';
import { globsIntersect } from '../policy/arn-overlap';
import { loadIamReference } from '../policy/iam-reference';
import { reachFrom, type Reach } from '../policy/merge-disjoint';
import { readGuardState } from '../outputs/guard-files';
import { cliCaller, parseReview, reviewFilePath, reviewKey, type ReviewRecord } from '../outputs/review';
import { fileStatements, strings, uncoveredGrants } from './coverage';
import { patternContains } from './glob-containment';
import { neededReasons } from './missing';
import { readPolicyDocument } from './policy-file';
import { pushTo } from '../collections';
import { compareText } from '../text-order';

/** One action on one ARN pattern that the policy gains or loses, and what in the project causes it. */
export interface PermissionChange {
  readonly action: string;
  readonly resource: string;
  /** What needs it now (added), or what the committed review says needed it (removed). */
  readonly causes: readonly string[];
}

/**
 * The committed policy of an env against what the project needs now: the permissions a
 * regenerated policy adds (the committed one does not allow them: a push would be denied) and
 * removes (granted, and nothing in the project needs them any more), with their causes, and the
 * resources added to or removed from the project since the committed review was written.
 */
export interface PolicyChanges {
  /** no-policy: nothing was generated for the env (no state file). */
  readonly status: 'no-policy' | 'unchanged' | 'changed';
  readonly env: string;
  readonly phases: readonly Phase[];
  /** Committed policy files and their review, relative to the project root. */
  readonly policyFiles: readonly string[];
  readonly review?: string;
  readonly added: readonly PermissionChange[];
  readonly removed: readonly PermissionChange[];
  readonly resourcesAdded: readonly string[];
  readonly resourcesRemoved: readonly string[];
}

/**
 * Compares the env's committed policy (the files its state lists, and the review beside them)
 * with what the project needs now, for the phases given or else those the policy was generated
 * for. No AWS call, nothing written.
 */
export async function policyChanges(options: GenerateOptions, phasesGiven: boolean): Promise<PolicyChanges> {
  const given = options.phases ?? DEFAULT_PHASES;
  // The project is read once, then generated once: for the phases given, or else the committed ones.
  const project = readAmplifyProject(options, given);
  const { rootDir } = project.context;
  const env = project.context.envName ?? 'default';
  const state = readGuardState(rootDir, env);
  if (!state)
    return {
      status: 'no-policy',
      env,
      phases: given,
      policyFiles: [],
      added: [],
      removed: [],
      resourcesAdded: [],
      resourcesRemoved: [],
    };
  const recorded = state.phases.filter((p): p is Phase => (ALL_PHASES as readonly string[]).includes(p));
  const phases = !phasesGiven && recorded.length > 0 ? recorded : given;
  const result = await policiesFor(project, phases);
  const policyFiles = state.policies.map((p) => p.file);
  const documents = policyFiles.map((file) => readPolicyDocument(rootDir, file));
  // Beside the first file: `<name>.md`, or `<name>.review.md` for a file named with --out.
  const review = policyFiles
    .slice(0, 1)
    .flatMap((file) => [reviewFilePath(file), reviewFilePath(file, true)])
    .find((file) => fs.existsSync(path.join(rootDir, file)));
  const record = review ? readReview(path.join(rootDir, review)) : undefined;
  const added = neededReasons(uncoveredGrants(result.grants, documents), result.inventory).map(
    ({ action, resource, reasons }) => ({ action, resource, causes: causesOf(reasons) }),
  );
  const committed = committedPairs(documents);
  const reach = reachFrom(
    await loadIamReference(
      committed.map((p) => p.action).filter((a) => !/[*?]/.test(a)),
      [],
    ),
  );
  const removed = removedPermissions(result, committed, reach, record);
  const labels = result.inventory.resources.map(resourceLabel);
  const resourcesAdded = record ? labels.filter((l) => !record.resources.includes(l)) : [];
  const resourcesRemoved = record ? record.resources.filter((l) => !labels.includes(l)) : [];
  return {
    status: added.length + removed.length > 0 ? 'changed' : 'unchanged',
    env,
    phases: result.phases,
    policyFiles,
    ...(record ? { review } : {}),
    added,
    removed,
    resourcesAdded,
    resourcesRemoved,
  };
}

function readReview(file: string): ReviewRecord | undefined {
  try {
    if (fs.lstatSync(file).isSymbolicLink()) return undefined;
    return parseReview(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What needs a permission, one entry per resource (or CLI step, or hand-written grant). */
function causesOf(reasons: readonly Reason[]): string[] {
  const causes = new Set<string>();
  for (const reason of reasons) {
    if (reason.via === 'cli') causes.add(`${cliCaller(reason)}: ${reason.summary}`);
    else if (reason.via === 'override') causes.add(`${reason.resource}: ${reason.summary}`);
    else causes.add(`${reason.resource} (${reason.resourceType ?? reason.summary})`);
  }
  return [...causes].sort();
}

/** The (action, pattern) pairs of the committed Allow statements, once each. */
function committedPairs(documents: readonly unknown[]): Array<{ action: string; resource: string }> {
  const pairs = new Map<string, { action: string; resource: string }>();
  for (const statement of fileStatements(documents)) {
    if (statement?.Effect !== 'Allow') continue;
    for (const action of strings(statement.Action))
      for (const resource of strings(statement.Resource))
        pairs.set(`${action} ${resource}`, { action, resource });
  }
  return [...pairs.values()];
}

/**
 * The committed pairs that no grant of the project needs now: no grant of that action on an
 * ARN the pattern may match. Pairs IAM cannot authorize (an action of one service on another
 * service's ARN, where statements whose actions cannot reach each other's resources share one)
 * were never a permission and are skipped. The cause is what the committed review says
 * needed it.
 */
function removedPermissions(
  result: GenerateResult,
  committed: ReadonlyArray<{ action: string; resource: string }>,
  reach: Reach,
  record: ReviewRecord | undefined,
): PermissionChange[] {
  const byAction = new Map<string, string[]>();
  for (const grant of result.grants) {
    const key = grant.action.toLowerCase();
    pushTo(byAction, key, grant.resource);
  }
  const neededOn = (action: string): string[] =>
    /[*?]/.test(action)
      ? [...byAction].filter(([a]) => patternContains(action.toLowerCase(), a)).flatMap(([, r]) => r)
      : (byAction.get(action.toLowerCase()) ?? []);
  const removed: PermissionChange[] = [];
  for (const { action, resource } of committed) {
    if (resource !== '*' && !reach(action, resource)) continue;
    if (neededOn(action).some((needed) => globsIntersect(resource, needed))) continue;
    const why = record?.whys.get(reviewKey(action, resource));
    removed.push({ action, resource, causes: why ? [why] : [] });
  }
  return removed.sort((a, b) => compareText(a.resource, b.resource) || compareText(a.action, b.action));
}
