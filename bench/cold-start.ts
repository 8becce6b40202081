import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../test/support/paths';
import { projectCopy } from '../test/support/real-cli';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Wall time of one process, in ms; throws when it fails. */
function wallMs(args: readonly string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/**
 * The standalone `generate` from a cold process against `node -e 0` (Node's own start-up) on a
 * copy of examples/lpdemo: alternating runs, so that the machine's load hits both alike, and
 * the ratio of the medians. Everything a run needs is in it: loading the modules, the data
 * and the IAM reference of the services in use, the engine, writing the files.
 */
export function coldStart(runs: number): string {
  const project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
  const cli = path.join(REPO_ROOT, 'lib', 'src', 'cli.js');
  const generate = ['generate', '--project-dir', project];
  try {
    wallMs([cli, ...generate], REPO_ROOT); // the files exist from then on, as in a repeated run
    const bare: number[] = [];
    const standalone: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(wallMs(['-e', '0'], REPO_ROOT));
      standalone.push(wallMs([cli, ...generate], REPO_ROOT));
    }
    const [node, ours] = [median(bare), median(standalone)];
    return (
      `Cold start, examples/lpdemo (a temporary copy), ${runs} alternating runs each, medians: ` +
      `\`node -e 0\` ${node.toFixed(0)} ms, \`node lib/src/cli.js generate --project-dir COPY\` ` +
      `${ours.toFixed(0)} ms: a ratio of ${(ours / node).toFixed(2)} (target: 2.5 at most).\n`
    );
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

if (require.main === module) process.stdout.write(coldStart(Number(process.argv[2] ?? 15)));
