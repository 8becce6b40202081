import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isOutput, REPO_ROOT } from './paths';

/** The real Amplify CLI (JavaScript build), installed from test/e2e/cli/package.json by `npm run setup:e2e`. */
export const AMPLIFY_BIN = path.join(REPO_ROOT, 'test', 'e2e', 'cli', 'node_modules', '.bin', 'amplify');
export const realCliInstalled = (): boolean => fs.existsSync(AMPLIFY_BIN);

/**
 * In a `before` hook: skips the suite with a visible note when the real CLI is not installed,
 * and fails instead where it must be (CI sets LP_REQUIRE_REAL_CLI=1).
 */
export function skipWithoutRealCli(context: Mocha.Context): void {
  if (realCliInstalled()) return;
  if (process.env.LP_REQUIRE_REAL_CLI)
    throw new Error('The real Amplify CLI is not installed: run `npm run setup:e2e`.');
  console.log('    (skipped: the real Amplify CLI is not installed; run `npm run setup:e2e`)');
  context.skip();
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for messages the CLI prints on either. */
  readonly output: string;
}

/**
 * A throwaway HOME and the environment that keeps the real CLI offline and quiet: no update
 * checks, no usage data, no banner fetch, no EC2 metadata probing (the same settings as
 * ../shared/real-cli/quiet-env.sh).
 */
export function quietCliEnv(): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-home-'));
  return {
    ...process.env,
    HOME: home,
    CI: 'true',
    NO_UPDATE_NOTIFIER: '1',
    AMPLIFY_CLI_ENABLE_USAGE_DATA: 'false',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function runAmplify(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): CliRun {
  const result = spawnSync(AMPLIFY_BIN, [...args], {
    cwd,
    env,
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${result.stdout}\n${result.stderr}`,
  };
}

/**
 * A real-CLI project copied to a temporary folder, with the CLI's recorded project path pointing
 * at the copy, and the #current-cloud-backend that ../shared/real-cli/mkproj.sh writes for a
 * project that was initialized but never pushed (the examples leave it out).
 */
export function projectCopy(projectDir: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-project-'));
  fs.cpSync(projectDir, target, { recursive: true, filter: (source) => !isOutput(projectDir, source) });
  const localEnv = path.join(target, 'amplify', '.config', 'local-env-info.json');
  if (fs.existsSync(localEnv)) {
    const info = JSON.parse(fs.readFileSync(localEnv, 'utf8'));
    fs.writeFileSync(localEnv, JSON.stringify({ ...info, projectPath: target }, null, 2));
  }
  const current = path.join(target, 'amplify', '#current-cloud-backend');
  if (!fs.existsSync(current)) {
    fs.mkdirSync(current, { recursive: true });
    const meta = JSON.parse(
      fs.readFileSync(path.join(target, 'amplify', 'backend', 'amplify-meta.json'), 'utf8'),
    );
    fs.writeFileSync(path.join(current, 'amplify-meta.json'), JSON.stringify({ providers: meta.providers }));
    fs.writeFileSync(path.join(current, 'backend-config.json'), '{}');
    fs.copyFileSync(path.join(target, 'amplify', 'backend', 'tags.json'), path.join(current, 'tags.json'));
  }
  return target;
}
