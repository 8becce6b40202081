import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Phase } from '../../src/model';
import { phasesOfCommand } from '../../src/requirements/phases';
import { copyToTemp, REPO_ROOT } from './paths';
import { AMPLIFY_BIN, realCliInstalled } from './real-cli';
import { runBin } from './run-bin';

/** The trace harness (test/e2e/trace, see its README): the real CLI against moto, every AWS call recorded. */
export const TRACE_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'trace');
/** Traces of the real CLI on the examples, committed (test/e2e/trace/recorded/<example>.jsonl). */
export const RECORDED_DIR = path.join(TRACE_DIR, 'recorded');

/** One AWS call of the CLI, as trace.sh records it (the fields the checks use). */
export interface TraceRecord {
  /** The amplify command words (`push`, `env checkout dev`, `codegen models`). */
  readonly step: string;
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly account: string;
  readonly action: string;
  readonly resource: string;
  /** Several authorizations of one request (S3 DeleteObjects, SSM Names). */
  readonly iam?: ReadonlyArray<{ action: string; resource: string }>;
  readonly ok: boolean;
  readonly err?: string;
  /** The first caller frames outside the SDK. */
  readonly from?: readonly string[];
}

export interface TraceRun {
  readonly status: number | null;
  readonly records: readonly TraceRecord[];
  /** The CLI's output, one `=== amplify ...` block per command. */
  readonly cliOut: string;
  /** trace.sh's summary line. */
  readonly summary: string;
  readonly seconds: number;
}

const motoInstalled = (): boolean =>
  spawnSync('python3', ['-c', 'import moto.server, boto3'], { stdio: 'ignore' }).status === 0;

/**
 * In a `before` hook: skips the suite with a visible note when the real CLI or moto is missing,
 * and fails instead where they must be (CI sets LP_REQUIRE_REAL_CLI=1).
 */
export function skipWithoutTraceTools(context: Mocha.Context): void {
  const missing = [
    ...(realCliInstalled() ? [] : ['the real Amplify CLI (npm run setup:e2e)']),
    ...(motoInstalled() ? [] : ["moto (pip install 'moto[server]>=5' boto3)"]),
  ];
  if (missing.length === 0) return;
  if (process.env.LP_REQUIRE_REAL_CLI) throw new Error(`Trace tests need ${missing.join(' and ')}.`);
  console.log(`    (skipped: the trace tests need ${missing.join(' and ')})`);
  context.skip();
}

/**
 * Runs real Amplify commands one after the other on a copy of `project` against moto
 * (test/e2e/trace/trace.sh) and returns every AWS call the CLI made. Each command is a list of
 * arguments, e.g. `['push', '--yes']`.
 */
export function runTrace(
  project: string,
  commands: ReadonlyArray<readonly string[]>,
  env: NodeJS.ProcessEnv = {},
): TraceRun {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-trace-'));
  const args = commands.flatMap((command, n) => (n === 0 ? [...command] : ['---', ...command]));
  const started = Date.now();
  const result = spawnSync(
    'bash',
    [
      path.join(TRACE_DIR, 'trace.sh'),
      '--cli',
      AMPLIFY_BIN,
      '--project',
      project,
      '--out',
      out,
      '--',
      ...args,
    ],
    { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 1_800_000 },
  );
  const read = (file: string): string =>
    fs.existsSync(path.join(out, file)) ? fs.readFileSync(path.join(out, file), 'utf8') : '';
  const run: TraceRun = {
    status: result.status,
    records: parseTrace(read('trace.jsonl')),
    cliOut: read('cli.out'),
    summary: `${result.stdout}${result.stderr}`.trim().split('\n').pop() ?? '',
    seconds: Math.round((Date.now() - started) / 1000),
  };
  fs.rmSync(out, { recursive: true, force: true });
  return run;
}

export function parseTrace(text: string): TraceRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as TraceRecord)
    .filter((record) => record.service && record.operation);
}

/** The authorizations a call needs: its `iam` list, or its one action and resource. */
export const authorizationsOf = (record: TraceRecord): ReadonlyArray<{ action: string; resource: string }> =>
  record.iam ?? [{ action: record.action, resource: record.resource }];

/** The phases whose policy must let the command of this trace step through (src/requirements/phases.ts). */
export function phasesOfStep(step: string): readonly Phase[] {
  const phases = phasesOfCommand(step);
  if (!phases) throw new Error(`No phase lists the command "amplify ${step}" (PHASE_COMMANDS)`);
  return phases;
}

export interface GeneratedPolicy {
  /** The `generate --json` output, written to a file for check-trace.cjs. */
  readonly file: string;
  readonly report: {
    policies: Array<{ name: string; document: { Statement: unknown[] } }>;
    warnings: string[];
  };
}

/** `generate --json --phases ...` on a pristine copy of the example (the trace never changes the source). */
export function generatePolicy(
  project: string,
  phases: readonly Phase[],
  extraArgs: readonly string[] = [],
): GeneratedPolicy {
  const copy = copyToTemp(project);
  try {
    const run = runBin([
      'generate',
      '--project-dir',
      copy,
      '--json',
      '--phases',
      phases.join(','),
      ...extraArgs,
    ]);
    if (run.status !== 0) throw new Error(`generate failed (${run.status}): ${run.stderr}`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alp-policy-')), 'policy.json');
    fs.writeFileSync(file, run.stdout);
    return { file, report: JSON.parse(run.stdout) };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** What check-trace.cjs reads of a call. */
export type CheckableCall = Pick<
  TraceRecord,
  'step' | 'service' | 'operation' | 'region' | 'account' | 'action' | 'resource' | 'iam'
>;

export interface TraceCheck {
  /** `action resource` of every denied authorization. */
  readonly denied: readonly string[];
  /** check-trace.cjs's `DENIED ...` lines (the why of each). */
  readonly lines: readonly string[];
  readonly checked: number;
}

/**
 * Simulates every call as a direct call of the CLI against the policy (check-trace.cjs, with
 * @cloud-copilot/iam-simulate): aws:RequestedRegion set, no aws:CalledVia.
 */
export function checkTrace(records: readonly CheckableCall[], policyFile: string): TraceCheck {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-check-'));
  try {
    const trace = path.join(dir, 'trace.jsonl');
    fs.writeFileSync(trace, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const result = spawnSync(
      process.execPath,
      [path.join(TRACE_DIR, 'check-trace.cjs'), '--trace', trace, '--policy-json', policyFile],
      { encoding: 'utf8' },
    );
    if (result.status !== 0 && result.status !== 1) throw new Error(`check-trace failed: ${result.stderr}`);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as { denied: string[]; checked: number };
    return {
      denied: summary.denied,
      lines: lines.filter((line) => line.startsWith('DENIED')),
      checked: summary.checked,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A call the policy deliberately does not grant (data/cli-calls.json `notIncluded`). */
export interface NotIncluded {
  readonly actions: readonly string[];
  /** ARN glob of the requests it covers; absent: every request of the actions. */
  readonly resource?: string;
  readonly reason: string;
}

export function notIncludedCalls(): readonly NotIncluded[] {
  const data = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'cli-calls.json'), 'utf8'));
  return data.notIncluded as NotIncluded[];
}

const glob = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** The denials (`action resource`) that no `notIncluded` entry explains. */
export function unexplainedDenials(denied: readonly string[], excuses = notIncludedCalls()): string[] {
  return denied.filter((entry) => {
    const [action, resource] = entry.split(' ');
    return !excuses.some(
      (excuse) =>
        excuse.actions.some((a) => a.toLowerCase() === action.toLowerCase()) &&
        (excuse.resource === undefined || glob(excuse.resource).test(resource)),
    );
  });
}

/** The fields a recorded trace keeps of each call (no request input: it may hold machine paths). */
export interface RecordedCall extends Omit<TraceRecord, 'from'> {
  /** The CLI's caller frame, `function@package/file.js:line`. */
  readonly from?: string;
  /** How many identical calls the run made. */
  readonly count: number;
}

/** Traces of one example: test/e2e/trace/recorded/<example>.jsonl and <example>-<label>.jsonl. */
export function readRecorded(example: string): RecordedCall[] {
  if (!fs.existsSync(RECORDED_DIR)) return [];
  return fs
    .readdirSync(RECORDED_DIR)
    .filter(
      (file) => file === `${example}.jsonl` || (file.startsWith(`${example}-`) && file.endsWith('.jsonl')),
    )
    .sort()
    .flatMap(
      (file) =>
        parseTrace(fs.readFileSync(path.join(RECORDED_DIR, file), 'utf8')) as unknown as RecordedCall[],
    );
}

/** Writes a run's calls as a recorded trace (identical calls once, with their count). */
export function writeRecorded(name: string, records: readonly TraceRecord[]): void {
  const calls = new Map<string, RecordedCall>();
  for (const r of records) {
    const call: RecordedCall = {
      step: r.step,
      service: r.service,
      operation: r.operation,
      region: r.region,
      account: r.account,
      action: r.action,
      resource: r.resource,
      ...(r.iam ? { iam: r.iam } : {}),
      ok: r.ok,
      ...(r.err ? { err: r.err.replace(/\/(tmp|work|root|home)\/[^\s'"]*/g, '<path>') } : {}),
      ...(r.from?.[0] ? { from: r.from[0] } : {}),
      count: 1,
    };
    const key = JSON.stringify({ ...call, from: undefined, count: undefined });
    const seen = calls.get(key);
    calls.set(key, seen ? { ...seen, count: seen.count + 1 } : call);
  }
  fs.mkdirSync(RECORDED_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RECORDED_DIR, `${name}.jsonl`),
    [...calls.values()].map((call) => JSON.stringify(call)).join('\n') + '\n',
  );
}
