import path = require('node:path');
import { readJsonFile } from './json-file';

/**
 * amplify/least-privilege/config.json: the pre-push guard's mode and verify setting, committed
 * with the project (written by `configure`). Read on the pre-push path: node:fs only.
 */
export type GuardMode = 'off' | 'warn' | 'block' | 'update';
export const GUARD_MODES: readonly GuardMode[] = ['off', 'warn', 'block', 'update'];

export interface GuardConfig {
  readonly mode: GuardMode;
  /** Also ask IAM (SimulatePrincipalPolicy) what the identity may do, on the slow path. */
  readonly verify: boolean;
}

export const DEFAULT_CONFIG: GuardConfig = { mode: 'warn', verify: false };

export const configFile = (rootDir: string): string =>
  path.join(rootDir, 'amplify', 'least-privilege', 'config.json');

const CONFIG = 'amplify/least-privilege/config.json';

/**
 * The configuration; the default (warn) when the file is absent. A file that is not JSON, or
 * holds an unknown mode or a verify that is not true/false, is broken: `problem` says how, and
 * the guard stops the push rather than guess the mode (it may have said block).
 */
export function readGuardConfig(rootDir: string): { config: GuardConfig; problem?: string } {
  // Not in the engine's read log: the guard reads this file itself on every push, and with
  // verify on it always runs the full check (the only setting the policy depends on).
  const read = readJsonFile(configFile(rootDir));
  if ('absent' in read) return { config: DEFAULT_CONFIG };
  if ('error' in read) return { config: DEFAULT_CONFIG, problem: `${CONFIG} ${read.error}` };
  const value = read.value as Partial<Record<keyof GuardConfig, unknown>> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { config: DEFAULT_CONFIG, problem: `${CONFIG} is not a JSON object` };
  const mode = value.mode === undefined ? DEFAULT_CONFIG.mode : value.mode;
  if (!GUARD_MODES.includes(mode as GuardMode))
    return {
      config: DEFAULT_CONFIG,
      problem: `${CONFIG}: mode ${JSON.stringify(mode)} is not one of ${GUARD_MODES.join(', ')}`,
    };
  if (value.verify !== undefined && typeof value.verify !== 'boolean')
    return { config: DEFAULT_CONFIG, problem: `${CONFIG}: verify must be true or false` };
  return { config: { mode: mode as GuardMode, verify: value.verify === true } };
}
