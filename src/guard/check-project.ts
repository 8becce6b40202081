import * as path from 'node:path';
import { generatePolicies, type GenerateOptions, type GenerateResult } from '../engine';
import type { ScopedRequirement } from '../policy/scope';
import { uncoveredRequirements } from './coverage';
import { readGuardState, type GuardState } from './guard-files';
import { inputsHash, policyFilesHash } from './inputs-hash';
import { packageVersion } from '../package-info';
import { readPolicyDocument } from '../outputs/policy-files';

/** One missing permission: the action, the resource it is needed on, and what needs it. */
export interface MissingPermission {
  readonly action: string;
  readonly resource: string;
  readonly neededBy: readonly string[];
}

export interface CheckOutcome {
  /** covered: the policy allows everything this push needs; missing: it does not; no-policy: nothing generated for the env. */
  readonly status: 'covered' | 'missing' | 'no-policy';
  readonly env: string;
  /** The inputs changed since the policy was generated (it may still cover them). */
  readonly stale: boolean;
  readonly missing: readonly MissingPermission[];
  /** Policy files checked, relative to the project root. */
  readonly policyFiles: readonly string[];
  readonly result: GenerateResult;
}

/** The options the hash of a generated policy depends on, as recorded in its state file. */
export const hashOptions = (
  options: Pick<GenerateOptions, 'phases' | 'permissionsBoundaryArn'>,
): string[] => [
  `phases=${(options.phases ?? ['push']).join(',')}`,
  ...(options.permissionsBoundaryArn ? [`boundary=${options.permissionsBoundaryArn}`] : []),
];

/**
 * Does the policy last generated or attached for the env (its state file and policy files)
 * allow everything this push needs (the requirements of `options.phases`, push by default)?
 * Runs the engine for the current project and compares, without any AWS call.
 */
export async function checkProject(
  options: GenerateOptions,
  knownInputsHash?: string,
): Promise<CheckOutcome> {
  // A check asks what a push needs unless told otherwise; generate's default grants more.
  const result = await generatePolicies({ ...options, phases: options.phases ?? ['push'] });
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const state = readGuardState(rootDir, env);
  // The hash the state's policy would have if it were generated now, with the same options
  // (the pre-push fast path has just made it).
  const hash =
    knownInputsHash ?? inputsHash(rootDir, env, state?.hashOptions ?? hashOptions(options), packageVersion());
  const files = state ? state.policies.map((p) => p.file) : [];
  const documents = files.flatMap((file) => {
    const document = readPolicyDocument(rootDir, file);
    return document === undefined ? [] : [document];
  });
  if (!state || documents.length === 0) {
    return {
      status: 'no-policy',
      env,
      stale: true,
      missing: [],
      policyFiles: files,
      result,
    };
  }
  const missing = group(uncoveredRequirements(result.requirements, documents));
  return {
    status: missing.length === 0 ? 'covered' : 'missing',
    env,
    stale: state.inputsHash !== hash,
    missing,
    policyFiles: files,
    result,
  };
}

/** One entry per action and resource, with every resource and reason that needs it. */
export function group(requirements: readonly ScopedRequirement[]): MissingPermission[] {
  const byKey = new Map<string, { action: string; resource: string; neededBy: Set<string> }>();
  for (const r of requirements) {
    const key = `${r.action} ${r.resource}`;
    const entry = byKey.get(key) ?? { action: r.action, resource: r.resource, neededBy: new Set<string>() };
    entry.neededBy.add(`${r.reason.resource}: ${r.reason.detail.split(' (')[0]}`);
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => ({ action: e.action, resource: e.resource, neededBy: [...e.neededBy].sort() }))
    .sort((a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource));
}

/** The state a generate or attach leaves: which files hold the env's policy and the hash of its inputs. */
export function stateFor(
  result: GenerateResult,
  files: readonly string[],
  options: GenerateOptions,
  attachedTo?: string,
): GuardState {
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const relativeFiles = files.map((file) => path.relative(rootDir, file).split(path.sep).join('/'));
  const recorded = hashOptions(options);
  return {
    version: 1,
    env,
    inputsHash: inputsHash(rootDir, env, recorded, packageVersion()),
    phases: result.phases,
    hashOptions: recorded,
    policies: result.policies.map((p, i) => ({ name: p.name, file: relativeFiles[i] })),
    policiesHash: policyFilesHash(rootDir, relativeFiles),
    ...(attachedTo ? { attachedTo } : {}),
  };
}

/** The human report of missing permissions, with the command that fixes them. */
export function formatMissing(outcome: CheckOutcome, fix: string): string {
  const lines = [
    `The least-privilege policy for env ${outcome.env} does not allow ${outcome.missing.length} permission(s) this push needs:`,
  ];
  for (const m of outcome.missing.slice(0, 30))
    lines.push(`  - ${m.action} on ${m.resource}  (needed by ${m.neededBy.slice(0, 2).join('; ')})`);
  if (outcome.missing.length > 30) lines.push(`  ... and ${outcome.missing.length - 30} more`);
  lines.push(`Fix: ${fix}`);
  return `${lines.join('\n')}\n`;
}
