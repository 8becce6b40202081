import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled standalone bin as a user would, in `cwd`. */
export function runBin(
  args: readonly string[],
  cwd: string = REPO_ROOT,
  extraEnv: NodeJS.ProcessEnv = {},
): BinResult {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'lib', 'src', 'cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extraEnv },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
