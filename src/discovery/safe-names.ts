import path = require('node:path');
import { projectError, usageError } from '../errors';

/**
 * Names read from the project (env names, categories, resource names) that become parts of
 * file paths, and the check that a path stays inside the project. Only node:path: the pre-push
 * fast path uses it.
 */

/** Amplify's rule for env names (amplify-cli init-steps/s0-analyzeProject.js isEnvNameValid). */
const ENV_NAME = /^[a-z]{2,10}$/;

export const isEnvName = (name: unknown): boolean => typeof name === 'string' && ENV_NAME.test(name);

/** Why an env name is refused, for messages. */
export const ENV_NAME_RULE = "Amplify's rule for env names: 2 to 10 lowercase letters";

/**
 * Refuses an env name Amplify itself would refuse: it names files (state-<env>.json, policy
 * files) and ARNs. A usage error for --env, a project error for a name read from the project.
 */
export function checkEnvName(envName: string | undefined, fromOption: boolean): void {
  if (envName === undefined || isEnvName(envName)) return;
  const shown = JSON.stringify(envName.length > 40 ? `${envName.slice(0, 40)}...` : envName);
  if (fromOption) {
    throw usageError(`--env ${shown} is not an Amplify env name.`, `Write --env NAME with ${ENV_NAME_RULE}.`);
  }
  throw projectError(
    `The env name ${shown} (amplify/.config/local-env-info.json or team-provider-info.json) is not an Amplify env name.`,
    `Check out a real env with \`amplify env checkout NAME\` or pass --env NAME (${ENV_NAME_RULE}).`,
  );
}

/**
 * A name that can be one folder of amplify/backend: letters, digits, `-` and `_`, not starting
 * with `-`, at most 128 characters. Amplify's own names are letters and digits; anything with
 * `/`, `\`, `.`, `*`, `?` or a control character never names a real resource folder.
 */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

export const isSafeName = (name: unknown): name is string => typeof name === 'string' && SAFE_NAME.test(name);

/** True when `target` is `root` itself or inside it (lexically: `..` segments resolved). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/**
 * A project-relative path recorded in one of our files (the guard's state): forward slashes,
 * no `..`, `.` or empty segment, not absolute, no drive letter, no control character.
 */
export function isSafeRelativePath(relative: unknown): relative is string {
  if (typeof relative !== 'string' || relative.length === 0 || relative.length > 1024) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\:\u0000-\u001f]/.test(relative) || relative.startsWith('/')) return false;
  return relative.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
