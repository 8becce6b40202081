/**
 * `npm run bench`: engine time per corpus project (median, in-process), synthetic projects of
 * 1,000, 15,000 and 60,000 resources, and granted actions against the reference policies in
 * ../shared/reference.
 * Figures, not assertions: tests never time anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { generatePolicies, type GenerateResult } from '../src/engine';
import { CORPUS_DIR, corpusProjects, exampleProjects, REFERENCE_DIR } from '../test/support/paths';
import { coldStart } from './cold-start';
import { hookCost } from './hook-cost';
import { SYNTHETIC_MIX, writeSyntheticProject } from './synthetic-project';

const RUNS = 7;

async function timed(
  projectDir: string,
  runs: number,
): Promise<{ result: GenerateResult; medianMs: number }> {
  let result = await generatePolicies({ projectDir }); // warm-up: module and data loading
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = await generatePolicies({ projectDir });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { result, medianMs: median(times) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** Distinct actions a policy grants (wildcards expanded) and how many of them on `*` with no condition. */
async function grantedActions(
  statements: ReadonlyArray<{ Action: unknown; Resource: unknown; Condition?: unknown }>,
): Promise<{ all: Set<string>; unscoped: Set<string> }> {
  const all = new Set<string>();
  const unscoped = new Set<string>();
  for (const s of statements) {
    const actions = await expandIamActions([s.Action as string | string[]].flat());
    actions.forEach((a) => all.add(a.toLowerCase()));
    if ([s.Resource].flat().includes('*') && !s.Condition)
      actions.forEach((a) => unscoped.add(a.toLowerCase()));
  }
  return { all, unscoped };
}

async function main(): Promise<void> {
  const projects = [
    ...corpusProjects().map((name) => ({ label: name, dir: path.join(CORPUS_DIR ?? '', name) })),
    ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir })),
  ];

  console.log(`## Engine time per project (median of ${RUNS} in-process runs, after one warm-up)\n`);
  const rows: Array<Array<string | number>> = [];
  const grantedCounts: number[] = [];
  const unscopedShares: number[] = [];
  for (const project of projects) {
    const { result, medianMs } = await timed(project.dir, RUNS);
    const { all, unscoped } = await grantedActions(result.policies.flatMap((p) => p.document.Statement));
    grantedCounts.push(all.size);
    unscopedShares.push(unscoped.size / all.size);
    rows.push([
      project.label.slice(0, 60),
      result.inventory.resources.length,
      result.policies.length,
      result.policies.map((p) => p.characters).join('/'),
      all.size,
      `${((100 * unscoped.size) / all.size).toFixed(1)} %`,
      medianMs.toFixed(1),
    ]);
  }
  console.log(
    table(
      ['project', 'resources', 'policies', 'characters', 'actions', 'on * w/o condition', 'median ms'],
      rows,
    ),
  );
  const times = rows.map((r) => Number(r[6]));
  console.log(
    `\nAll ${rows.length} projects: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms.\n`,
  );

  console.log('## Cold start of the standalone bin\n');
  console.log(coldStart(25));

  console.log(`## Synthetic project of 1,000 resources (${JSON.stringify(SYNTHETIC_MIX)})\n`);
  const synthetic = writeSyntheticProject();
  try {
    const before = process.memoryUsage().rss;
    const { result, medianMs } = await timed(synthetic, 3);
    const rssMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    console.log(
      table(
        ['resources', 'grants', 'policies', 'characters', 'median ms', 'rss growth MB'],
        [
          [
            result.inventory.resources.length,
            result.grants.length,
            result.policies.length,
            result.policies.map((p) => p.characters).join('/'),
            medianMs.toFixed(0),
            rssMb.toFixed(0),
          ],
        ],
      ),
    );
    const folded = result.warnings.find((w) => w.kind === 'names-folded');
    if (folded) console.log(`\n${folded.text}`);
  } catch (err) {
    // A figure that cannot be had is reported, and the other sections still run.
    console.log(`(failed: ${(err as Error).message})`);
  } finally {
    fs.rmSync(synthetic, { recursive: true, force: true });
  }

  console.log(`\n## Synthetic project of 60,000 resources (the same mix, times 60): one run\n`);
  console.log(await largeProject(60));

  console.log('\n## The pre-push guard on an unchanged project\n');
  console.log(await hookCost(7));

  console.log('\n## Granted actions against the reference policies (wildcards expanded)\n');
  if (!REFERENCE_DIR) {
    console.log('(skipped: ../shared/reference is not beside this checkout)');
    return;
  }
  const referenceRows: Array<Array<string | number>> = [];
  for (const file of [
    'AdministratorAccess-Amplify.json',
    'amplify-docs-cli-iam-policy-2022-06.json',
    'static-blog-policy.json',
    'AmplifyBackendDeployFullAccess.json',
  ]) {
    const document = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
    const { all, unscoped } = await grantedActions([document.Statement].flat());
    const characters = JSON.stringify(document).length;
    referenceRows.push([
      file.replace('.json', ''),
      all.size,
      `${((100 * unscoped.size) / all.size).toFixed(1)} %`,
      characters,
    ]);
  }
  const medianGranted = median(grantedCounts);
  referenceRows.push([
    'generated (median over the projects above)',
    medianGranted,
    `${(100 * median(unscopedShares)).toFixed(1)} %`,
    '-',
  ]);
  console.log(table(['policy', 'actions', 'on * w/o condition', 'characters'], referenceRows));
  const admin = Number(referenceRows[0][1]);
  console.log(
    `\nMedian project: ${medianGranted} actions, ${((100 * medianGranted) / admin).toFixed(0)} % of what AdministratorAccess-Amplify grants.`,
  );
}

/**
 * One generate of a synthetic project of `scale` thousand resources: wall and CPU time, the
 * heap it leaves (after a collection) and the process's peak resident memory. The cost must
 * grow linearly: 15,000 resources are run first for the ratio.
 */
async function largeProject(scale: number): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  for (const size of [scale / 4, scale]) {
    const dir = writeSyntheticProject(size);
    try {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      const result = await generatePolicies({ projectDir: dir });
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const { user, system } = process.cpuUsage(cpu);
      rows.push([
        result.inventory.resources.length - 1,
        result.grants.length,
        result.policies.length,
        (wallMs / 1000).toFixed(1),
        ((user + system) / 1e6).toFixed(1),
        (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0),
        (process.resourceUsage().maxRSS / 1024).toFixed(0),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return table(
    ['resources', 'grants', 'policies', 'wall s', 'cpu s', 'heap MB (result alive)', 'peak rss MB'],
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
