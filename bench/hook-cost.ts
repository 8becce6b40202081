import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { handleAmplifyEvent } from '../src/index';
import { REPO_ROOT } from '../test/support/paths';
import {
  AMPLIFY_BIN,
  projectCopy,
  quietCliEnv,
  realCliInstalled,
  runAmplify,
} from '../test/support/real-cli';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * What the PrePush guard adds to `amplify push` when nothing changed since the policy was
 * generated. The real CLI pushes examples/lpdemo and is stopped at PrePush by a blocker plugin
 * (the blocked-push baseline: CLI start-up and push preparation, no AWS). A stopwatch plugin
 * registered before the guard marks the start of the PrePush handlers and the blocker, after
 * the guard, reads the time: the guard's share (its module load included), measured inside
 * the real CLI and free of the CLI's own run-to-run noise.
 */
export async function hookCost(runs: number): Promise<string> {
  const lines: string[] = [];
  const project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
  const generated = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'lib/src/cli.js'), 'generate', '--project-dir', project],
    { encoding: 'utf8' },
  );
  if (generated.status !== 0) throw new Error(generated.stderr);

  const inProcess: number[] = [];
  const cwd = process.cwd();
  process.chdir(project);
  try {
    for (let i = 0; i < 20; i++) {
      const start = process.hrtime.bigint();
      await handleAmplifyEvent({ input: { options: {} } }, { event: 'PrePush' });
      inProcess.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } finally {
    process.chdir(cwd);
  }
  lines.push(
    `In-process fast path (handler only, warm): median ${median(inProcess.slice(1)).toFixed(2)} ms.`,
  );
  if (!realCliInstalled())
    return `${lines.join('\n')}\n(the real CLI is not installed: npm run setup:e2e to measure the push)\n`;

  const stopwatch = writePlugin('benchstart', 'global.__lpBenchStart = process.hrtime.bigint();');
  const blocker = writePlugin(
    'benchblocker',
    "const ms = Number(process.hrtime.bigint() - global.__lpBenchStart) / 1e6; throw new Error('blocked by the bench blocker after ' + ms.toFixed(2) + ' ms');",
  );
  const baselineEnv = quietCliEnv();
  register(baselineEnv, [stopwatch, blocker], project);
  const guardedEnv = quietCliEnv();
  register(guardedEnv, [stopwatch, REPO_ROOT, blocker], project);

  const push = (
    env: NodeJS.ProcessEnv,
    dir = project,
  ): { total: number; between: number; output: string } => {
    const start = process.hrtime.bigint();
    const run = spawnSync(AMPLIFY_BIN, ['push', '--yes'], { cwd: dir, env, encoding: 'utf8', input: '' });
    const output = `${run.stdout}${run.stderr}`;
    const between = /blocked by the bench blocker after ([\d.]+) ms/.exec(output);
    if (!between) throw new Error(`the push was not stopped by the blocker: ${output}`);
    return { total: Number(process.hrtime.bigint() - start) / 1e6, between: Number(between[1]), output };
  };
  // The guard does run between the stopwatch and the blocker: on a project without a policy it says so.
  if (
    !push(guardedEnv, projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'))).output.includes(
      'no policy generated for env',
    )
  ) {
    throw new Error('the guard did not run before the blocker');
  }
  const baseline = Array.from({ length: runs }, () => push(baselineEnv));
  const guarded = Array.from({ length: runs }, () => push(guardedEnv));
  const baselineTotal = median(baseline.map((r) => r.total));
  const added = median(guarded.map((r) => r.between)) - median(baseline.map((r) => r.between));
  lines.push(
    `amplify push --yes stopped at PrePush, median of ${runs}: the blocked-push baseline takes ${baselineTotal.toFixed(0)} ms; ` +
      `the guard adds ${added.toFixed(1)} ms (module load and fast check inside the real CLI), ` +
      `a ratio of ${(added / baselineTotal).toFixed(4)} (target: about 150 ms at most).`,
  );
  return `${lines.join('\n')}\n`;
}

/** A plugin whose PrePush handler runs `body`. */
function writePlugin(name: string, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `amplify-${name}-`));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `amplify-${name}`, version: '1.0.0', main: 'index.js' }),
  );
  fs.writeFileSync(
    path.join(dir, 'amplify-plugin.json'),
    JSON.stringify({ name, type: 'util', commands: ['help'], eventHandlers: ['PrePush'] }),
  );
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `exports.executeAmplifyCommand = async () => {};\nexports.handleAmplifyEvent = async (context, args) => {\n  if (args.event !== 'PrePush') return;\n  ${body}\n};\n`,
  );
  return dir;
}

/** Registers plugins in order (PrePush handlers run in registration order). */
function register(env: NodeJS.ProcessEnv, plugins: readonly string[], project: string): void {
  for (const plugin of plugins) {
    const added = runAmplify(['plugin', 'add', plugin], project, env);
    if (added.status !== 0) throw new Error(added.output);
  }
}
