/**
 * The PrePush handler's fast path. It runs inside every `amplify push`, so it loads only
 * node:fs, node:crypto and small modules: when the project's inputs hash to what the env's
 * policy was generated (or last checked) from, it is done in milliseconds. Anything else, the
 * engine included, is loaded only when something changed (pre-push-slow.ts).
 */
import path = require('node:path');
import { findProjectRoot } from '../discovery/find-project-root';
import type { InputRead } from '../discovery/read-log';
import { LeastPrivilegeError } from '../errors';
import { packageVersion } from '../package-info';
import { readGuardConfig, type GuardConfig } from '../discovery/guard-config';
import { readJsonOrUndefined } from '../discovery/json-file';
import { checkedEntries, GuardFileError, readGuardState, type GuardState } from '../outputs/guard-files';
import { checkKey, inputsHash, policyFilesHash } from '../outputs/inputs-hash';

export interface GuardIo {
  /** One line for the user (the CLI shows stderr). */
  say(line: string): void;
}

export interface PrePushRequest {
  readonly cwd: string;
  /** `amplify push --yes`: update mode attaches without asking. */
  readonly yes: boolean;
}

/** What the fast path found out, handed to the full check so it reads and hashes nothing twice. */
export interface SlowCheckRequest {
  readonly kind: 'slow';
  readonly rootDir: string;
  readonly env: string;
  readonly config: GuardConfig;
  readonly yes: boolean;
  /** The hash of the policy files now: with the check's inputs hash, what this machine remembers once covered. */
  readonly policiesHash: string;
}

/** What the fast path decided; `slow` hands over to the full check. */
export type FastOutcome = { readonly kind: 'done' } | SlowCheckRequest;

/**
 * Done when the env's policy was generated from exactly what the project holds now (the
 * inputs the engine read, as the state lists them, hash to the state's hash) or this machine
 * already found this project covered by these policy files; else the full check runs. A
 * broken config.json stops the push (it may have said block); so does an unusable state file
 * in mode block.
 */
export function fastCheck(request: PrePushRequest, io: GuardIo): FastOutcome {
  const rootDir = findProjectRoot(request.cwd);
  if (!rootDir) {
    io.say('least-privilege: not inside an Amplify project; nothing to check.');
    return { kind: 'done' };
  }
  const { config, problem } = readGuardConfig(rootDir);
  if (problem) throw brokenConfigError(problem);
  if (config.mode === 'off') return { kind: 'done' };
  const env = localEnv(rootDir);
  let state: GuardState | undefined;
  try {
    state = readGuardState(rootDir, env);
  } catch (err) {
    unusableGuardFile(err, config, io);
    return { kind: 'done' };
  }
  if (!state) {
    io.say(
      `least-privilege: no policy generated for env ${env} yet, so this push is not checked. ` +
        'Run `amplify least-privilege generate` (or `attach`) and commit amplify/least-privilege/.',
    );
    return { kind: 'done' };
  }
  const policies = policyFilesHash(
    rootDir,
    state.policies.map((p) => p.file),
  );
  // Unknown resource types stop every push in mode block, so the full check runs again.
  const blocksUnknown = config.mode === 'block' && (state.unknownTypes?.length ?? 0) > 0;
  const known =
    !config.verify && !blocksUnknown
      ? generatedFromThis(rootDir, env, state, policies)
        ? 'generated'
        : checkedHere(rootDir, env, state, policies) && 'checked'
      : false;
  if (!known) return { kind: 'slow', rootDir, env, config, yes: request.yes, policiesHash: policies };
  // A push that block lets through says so: silence would not tell a pass from a guard that never ran.
  if (config.mode === 'block')
    io.say(
      `least-privilege: the policy for env ${env} covers this push (mode block; nothing it depends on changed since it was ${known}).`,
    );
  return { kind: 'done' };
}

/** The state's policy files are as written and its inputs hash as they did then. */
function generatedFromThis(rootDir: string, env: string, state: GuardState, policies: string): boolean {
  if (!state.inputs || (state.policiesHash !== undefined && state.policiesHash !== policies)) return false;
  return inputsHash(rootDir, env, state.hashOptions, packageVersion(), state.inputs) === state.inputsHash;
}

/** A check on this machine found what the project holds now covered by these policy files. */
function checkedHere(rootDir: string, env: string, state: GuardState, policies: string): boolean {
  const hashes = new Map<string, string>();
  const hashOf = (inputs: readonly InputRead[]): string => {
    const id = JSON.stringify(inputs);
    let hash = hashes.get(id);
    if (hash === undefined) {
      hash = inputsHash(rootDir, env, state.hashOptions, packageVersion(), inputs);
      hashes.set(id, hash);
    }
    return hash;
  };
  return checkedEntries(rootDir, env).some((entry) => entry.key === checkKey(hashOf(entry.inputs), policies));
}

function brokenConfigError(problem: string): LeastPrivilegeError {
  return new LeastPrivilegeError(
    'blocked',
    `Push stopped by the least-privilege guard: ${problem}. It cannot tell which mode it is in (it may be block).`,
    'Fix amplify/least-privilege/config.json (for example {"mode": "block", "verify": false}) or write it again with `amplify least-privilege configure --mode MODE`, then push again.',
  );
}

/**
 * A state or policy file that exists but cannot be used: in mode block the push stops (the
 * guard cannot confirm the policy covers it); otherwise a warning, and the push goes on.
 * Anything else is thrown on.
 */
export function unusableGuardFile(err: unknown, config: GuardConfig, io: GuardIo): void {
  if (!(err instanceof GuardFileError)) throw err;
  if (config.mode === 'block')
    throw new LeastPrivilegeError(
      'blocked',
      `Push stopped by the least-privilege guard (mode block): ${err.message}`,
      err.resolution,
    );
  io.say(
    `least-privilege: warning (mode ${config.mode}, the push goes on): ${err.message} ${err.resolution}`,
  );
}

/** The checked-out env (amplify/.config/local-env-info.json), as the CLI pushes it. */
function localEnv(rootDir: string): string {
  const info = readJsonOrUndefined(path.join(rootDir, 'amplify', '.config', 'local-env-info.json')) as
    { envName?: string } | undefined;
  return info?.envName ?? 'default';
}
