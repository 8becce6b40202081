import { generatePolicies, type GenerateOptions, type GenerateResult } from '../engine';
import { readGuardState } from '../outputs/guard-files';
import { inputsHash } from '../outputs/inputs-hash';
import { hashOptions } from '../outputs/state';
import { packageVersion } from '../package-info';
import { uncoveredGrants } from './coverage';
import { group, type MissingPermission } from './missing';
import { readPolicyDocument } from './policy-file';

export interface CheckOutcome {
  /** covered: the policy allows everything this push needs; missing: it does not; no-policy: nothing generated for the env. */
  readonly status: 'covered' | 'missing' | 'no-policy';
  readonly env: string;
  /** The inputs changed since the policy was generated (it may still cover them). */
  readonly stale: boolean;
  readonly missing: readonly MissingPermission[];
  /** Policy files checked, relative to the project root. */
  readonly policyFiles: readonly string[];
  /** The hash of what the engine read now (with the state's options): what a covered check remembers. */
  readonly inputsHash: string;
  readonly result: GenerateResult;
}

/**
 * Does the policy last generated or attached for the env (its state file and policy files)
 * allow everything this push needs (the requirements of `options.phases`, push by default)?
 * Runs the engine for the current project and compares, without any AWS call. A state or
 * policy file that exists but cannot be read as one is a GuardFileError, never "no policy".
 */
export async function checkProject(options: GenerateOptions): Promise<CheckOutcome> {
  // A check asks what a push needs unless told otherwise; generate's default grants more.
  const result = await generatePolicies({ ...options, phases: options.phases ?? ['push'] });
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const state = readGuardState(rootDir, env);
  // The hash the state's policy would have if it were generated now, with the same options.
  const hash = inputsHash(
    rootDir,
    env,
    state?.hashOptions ?? hashOptions(options),
    packageVersion(),
    result.inputs,
  );
  if (!state) {
    return { status: 'no-policy', env, stale: true, missing: [], policyFiles: [], inputsHash: hash, result };
  }
  const files = state.policies.map((p) => p.file);
  const documents = files.map((file) => readPolicyDocument(rootDir, file));
  const missing = group(uncoveredGrants(result.grants, documents), result.inventory);
  return {
    status: missing.length === 0 ? 'covered' : 'missing',
    env,
    stale: state.inputsHash !== hash,
    missing,
    policyFiles: files,
    inputsHash: hash,
    result,
  };
}
