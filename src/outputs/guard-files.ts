import fs = require('node:fs');
import path = require('node:path');
import { configFile, type GuardConfig } from '../discovery/guard-config';
import { readJsonFile, readJsonOrUndefined } from '../discovery/json-file';
import type { InputRead } from '../discovery/read-log';
import { LeastPrivilegeError, projectError } from '../errors';
import { isEnvName } from '../discovery/safe-names';
import { commitFiles, type FileChange } from './file-transaction';

/**
 * The guard's files, all small JSON read on the pre-push path (node:fs and a few tiny modules):
 * - amplify/least-privilege/config.json: the mode, committed with the project (read by
 *   src/discovery/guard-config.ts, written here);
 * - amplify/least-privilege/state-<env>.json: which policy files were last generated or
 *   attached for the env and the hash of the inputs they were made from, committed;
 * - amplify/.config/local-least-privilege.json: input hashes already checked on this machine
 *   (Amplify's .gitignore keeps amplify/.config/local-* out of git).
 */
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
  /** What the engine read to make them: the inputs hash covers exactly these (absent in older state files). */
  readonly inputs?: readonly InputRead[];
  /** Where they were attached last, when attach ran (`user:dev`). */
  readonly attachedTo?: string;
  /** By policy name: the hash of the document attach last wrote to IAM (a change made in IAM since is detected). */
  readonly iamDocuments?: Readonly<Record<string, string>>;
  /** Resource types the policy grants nothing for: mode block checks every push again. */
  readonly unknownTypes?: readonly string[];
}

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

/**
 * A guard file (state, policy file) that exists but cannot be used: the guard cannot tell what
 * the policy allows, which is never read as "no policy".
 */
export class GuardFileError extends LeastPrivilegeError {
  constructor(message: string, resolution: string) {
    super('project', message, resolution);
  }
}

export function writeGuardConfig(rootDir: string, config: GuardConfig): void {
  writeJsonAtomic(configFile(rootDir), config);
}

const REGENERATE = 'Run `amplify least-privilege generate` again (or restore the file with git), then retry.';

/** The env's state; undefined when none was written. A state file that exists but is unusable is a GuardFileError. */
export function readGuardState(rootDir: string, env: string): GuardState | undefined {
  const file = stateFile(rootDir, env);
  const shown = path.relative(rootDir, file).split(path.sep).join('/');
  const read = readJsonFile(file);
  if ('absent' in read) return undefined;
  if ('error' in read) throw new GuardFileError(`${shown} ${read.error}.`, REGENERATE);
  const problem = stateProblem(read.value);
  if (problem) throw new GuardFileError(`${shown} is not a valid state file: ${problem}.`, REGENERATE);
  return read.value as GuardState;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const INPUT_KINDS = new Set(['file', 'exists', 'dir', 'json']);

/** A path inside the project, as the state records it (relative, forward slashes, no `..`). */
export const isProjectPath = (value: unknown): value is string =>
  isString(value) &&
  value.length > 0 &&
  !value.startsWith('/') &&
  !/^[A-Za-z]:/.test(value) &&
  !value.split(/[\\/]/).includes('..');

function stateProblem(raw: unknown): string | undefined {
  const state = raw as Partial<Record<keyof GuardState, unknown>> | null;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return 'not a JSON object';
  if (state.version !== 1) return `unknown version ${JSON.stringify(state.version)}`;
  if (!isString(state.inputsHash)) return 'no inputsHash';
  if (!Array.isArray(state.hashOptions) || !state.hashOptions.every(isString)) return 'no hashOptions list';
  if (
    !Array.isArray(state.policies) ||
    state.policies.length === 0 ||
    !state.policies.every(
      (p: { name?: unknown; file?: unknown }) => isString(p?.name) && isProjectPath(p?.file),
    )
  )
    return 'policies must list {name, file} with files inside the project';
  if (
    state.inputs !== undefined &&
    (!Array.isArray(state.inputs) ||
      !state.inputs.every(
        (i: { kind?: unknown; path?: unknown; key?: unknown }) =>
          INPUT_KINDS.has(i?.kind as string) &&
          isProjectPath(i.path) &&
          (i.kind !== 'json' || isString(i.key)),
      ))
  )
    return 'inputs must list {kind, path} entries inside the project';
  return undefined;
}

/** The change that writes the env's state (see src/outputs/file-transaction.ts); `state` may be computed late. */
export function stateFileChange(rootDir: string, env: string, state: () => GuardState): FileChange {
  return { file: stateFile(rootDir, env), content: () => jsonText(state()) };
}

export function writeGuardState(rootDir: string, state: GuardState): void {
  commitFiles([stateFileChange(rootDir, state.env, () => state)], { root: rootDir });
}

/** A check this machine found covered: its key, and the inputs its hash was made over. */
export interface CheckedEntry {
  readonly key: string;
  readonly inputs: readonly InputRead[];
}

/** Checks found covered on this machine, per env (the last few). */
export function checkedEntries(rootDir: string, env: string): readonly CheckedEntry[] {
  const cache = readJsonOrUndefined(cacheFile(rootDir)) as Record<string, unknown> | undefined;
  const entries = cache?.[env];
  return Array.isArray(entries)
    ? entries.filter(
        (e: Partial<CheckedEntry> | null): e is CheckedEntry =>
          isString(e?.key) &&
          Array.isArray(e.inputs) &&
          e.inputs.every(
            (i: Partial<InputRead>) => INPUT_KINDS.has(i?.kind as string) && isProjectPath(i.path),
          ),
      )
    : [];
}

const KEPT_ENTRIES = 5;

export function rememberChecked(rootDir: string, env: string, entry: CheckedEntry): void {
  const cache = (readJsonOrUndefined(cacheFile(rootDir)) as Record<string, unknown> | undefined) ?? {};
  cache[env] = [entry, ...checkedEntries(rootDir, env).filter((e) => e.key !== entry.key)].slice(
    0,
    KEPT_ENTRIES,
  );
  writeJsonAtomic(cacheFile(rootDir), cache);
}

const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, jsonText(value));
  fs.renameSync(temporary, file);
}
