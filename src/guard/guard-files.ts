import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectError } from '../errors';
import { isEnvName, isSafeRelativePath } from '../discovery/safe-names';
import { commitFiles, type FileChange } from '../outputs/file-transaction';

/**
 * The guard's files, all small JSON read on the pre-push path (only node:fs here):
 * - amplify/least-privilege/config.json: the mode, committed with the project;
 * - amplify/least-privilege/state-<env>.json: which policy files were last generated or
 *   attached for the env and the hash of the inputs they were made from, committed;
 * - amplify/.config/local-least-privilege.json: input hashes already checked on this machine
 *   (Amplify's .gitignore keeps amplify/.config/local-* out of git).
 */
export type GuardMode = 'off' | 'warn' | 'block' | 'update';
export const GUARD_MODES: readonly GuardMode[] = ['off', 'warn', 'block', 'update'];

export interface GuardConfig {
  readonly mode: GuardMode;
  /** Also ask IAM (SimulatePrincipalPolicy) what the identity may do, on the slow path. */
  readonly verify: boolean;
}

export const DEFAULT_CONFIG: GuardConfig = { mode: 'warn', verify: false };

export interface GuardState {
  readonly version: 1;
  readonly env: string;
  readonly inputsHash: string;
  readonly phases: readonly string[];
  /** The options the input hash was made with (phases, an explicit boundary). */
  readonly hashOptions: readonly string[];
  /** Policy files, relative to the project root, with the policy names. */
  readonly policies: ReadonlyArray<{ readonly name: string; readonly file: string }>;
  /** The hash of those files' content when they were written (absent in older state files). */
  readonly policiesHash?: string;
  /** Where they were attached last, when attach ran (`user:dev`). */
  readonly attachedTo?: string;
}

export const configFile = (rootDir: string): string =>
  path.join(rootDir, 'amplify', 'least-privilege', 'config.json');
/** The env's state file; the env must be an Amplify env name (or `default`): it is part of the path. */
export function stateFile(rootDir: string, env: string): string {
  if (!isEnvName(env)) {
    throw projectError(
      `The env name ${JSON.stringify(String(env)).slice(0, 60)} is not an Amplify env name (2 to 10 lowercase letters), so it names no state file.`,
      'Check out a real env (`amplify env checkout NAME`, amplify/.config/local-env-info.json), then run the command again.',
    );
  }
  return path.join(rootDir, 'amplify', 'least-privilege', `state-${env}.json`);
}
const cacheFile = (rootDir: string): string =>
  path.join(rootDir, 'amplify', '.config', 'local-least-privilege.json');

/** The parsed file; undefined when it is absent or not JSON (the guard never fails on its own files). */
export function readJsonOrUndefined(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The configuration; the default (warn) when the file is absent. Invalid values fall back too, and are reported. */
export function readGuardConfig(rootDir: string): { config: GuardConfig; problem?: string } {
  const raw = readJsonOrUndefined(configFile(rootDir));
  if (raw === undefined) return { config: DEFAULT_CONFIG };
  const value = raw as Partial<GuardConfig>;
  const mode = GUARD_MODES.includes(value.mode as GuardMode) ? (value.mode as GuardMode) : undefined;
  const config = { mode: mode ?? DEFAULT_CONFIG.mode, verify: value.verify === true };
  return mode
    ? { config }
    : {
        config,
        problem: `amplify/least-privilege/config.json: mode must be one of ${GUARD_MODES.join(', ')}; using warn.`,
      };
}

export function writeGuardConfig(rootDir: string, config: GuardConfig): void {
  writeJsonAtomic(configFile(rootDir), config);
}

/**
 * The env's state; undefined when it is absent or not in the shape we write. Policy file paths
 * must be plain project-relative paths (no `..`, not absolute): the file is committed and may
 * come from anyone, and its paths are read.
 */
export function readGuardState(rootDir: string, env: string): GuardState | undefined {
  const raw = readJsonOrUndefined(stateFile(rootDir, env)) as GuardState | undefined;
  return raw &&
    raw.version === 1 &&
    typeof raw.inputsHash === 'string' &&
    Array.isArray(raw.hashOptions) &&
    raw.hashOptions.every((option) => typeof option === 'string') &&
    Array.isArray(raw.policies) &&
    raw.policies.every(
      (p) => typeof p === 'object' && p !== null && typeof p.name === 'string' && isSafeRelativePath(p.file),
    ) &&
    (raw.policiesHash === undefined || typeof raw.policiesHash === 'string')
    ? raw
    : undefined;
}

/** The change that writes the env's state (see src/outputs/file-transaction.ts); `state` may be computed late. */
export function stateFileChange(rootDir: string, env: string, state: () => GuardState): FileChange {
  return { file: stateFile(rootDir, env), content: () => jsonText(state()) };
}

export function writeGuardState(rootDir: string, state: GuardState): void {
  commitFiles([stateFileChange(rootDir, state.env, () => state)], { root: rootDir });
}

/** Check keys (inputs and policy files hashes) found covered on this machine, per env (the last few). */
export function checkedHashes(rootDir: string, env: string): readonly string[] {
  const cache = readJsonOrUndefined(cacheFile(rootDir)) as Record<string, string[]> | undefined;
  return Array.isArray(cache?.[env]) ? cache[env] : [];
}

const KEPT_HASHES = 5;

export function rememberChecked(rootDir: string, env: string, hash: string): void {
  const cache = (readJsonOrUndefined(cacheFile(rootDir)) as Record<string, string[]> | undefined) ?? {};
  cache[env] = [hash, ...(cache[env] ?? []).filter((h) => h !== hash)].slice(0, KEPT_HASHES);
  writeJsonAtomic(cacheFile(rootDir), cache);
}

const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, jsonText(value));
  fs.renameSync(temporary, file);
}
