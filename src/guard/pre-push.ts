/**
 * The PrePush handler's fast path. It runs inside every `amplify push`, so it loads only
 * node:fs, node:crypto and small modules: when the project's inputs hash to what the env's
 * policy was generated (or last checked) from, it is done in milliseconds. Anything else, the
 * engine included, is loaded only when something changed (pre-push-slow.ts).
 */
import * as path from 'node:path';
import { findProjectRoot } from '../discovery/find-project-root';
import { packageVersion } from '../package-info';
import {
  checkedHashes,
  readGuardConfig,
  readGuardState,
  readJsonOrUndefined,
  type GuardConfig,
} from './guard-files';
import { checkKey, inputsHash, policyFilesHash } from './inputs-hash';

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
  /** The hash of the project's inputs now, made with the state's options. */
  readonly inputsHash: string;
  /** The inputs and policy files now: what this machine remembers once they are found covered. */
  readonly checkKey: string;
}

/** What the fast path decided; `slow` hands over to the full check. */
export type FastOutcome = { readonly kind: 'done' } | SlowCheckRequest;

export function fastCheck(request: PrePushRequest, io: GuardIo): FastOutcome {
  const rootDir = findProjectRoot(request.cwd);
  if (!rootDir) {
    io.say('least-privilege: not inside an Amplify project; nothing to check.');
    return { kind: 'done' };
  }
  const { config, problem } = readGuardConfig(rootDir);
  if (problem) io.say(`least-privilege: ${problem}`);
  if (config.mode === 'off') return { kind: 'done' };
  const env = localEnv(rootDir);
  const state = readGuardState(rootDir, env);
  if (!state) {
    io.say(
      `least-privilege: no policy generated for env ${env} yet, so this push is not checked. ` +
        'Run `amplify least-privilege generate` (or `attach`) and commit amplify/least-privilege/.',
    );
    return { kind: 'done' };
  }
  const hash = inputsHash(rootDir, env, state.hashOptions, packageVersion());
  const policies = policyFilesHash(
    rootDir,
    state.policies.map((p) => p.file),
  );
  const key = checkKey(hash, policies);
  const unchanged =
    hash === state.inputsHash && (state.policiesHash === undefined || state.policiesHash === policies);
  // Unknown resource types stop every push in mode block, so the full check runs again.
  const blocksUnknown = config.mode === 'block' && (state.unknownTypes?.length ?? 0) > 0;
  const known = !blocksUnknown && (unchanged || checkedHashes(rootDir, env).includes(key));
  return known && !config.verify
    ? { kind: 'done' }
    : { kind: 'slow', rootDir, env, config, yes: request.yes, inputsHash: hash, checkKey: key };
}

/** The checked-out env (amplify/.config/local-env-info.json), as the CLI pushes it. */
function localEnv(rootDir: string): string {
  const info = readJsonOrUndefined(path.join(rootDir, 'amplify', '.config', 'local-env-info.json')) as
    { envName?: string } | undefined;
  return info?.envName ?? 'default';
}
