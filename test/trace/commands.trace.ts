import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import {
  checkTrace,
  generatePolicy,
  phasesOfStep,
  runTrace,
  skipWithoutTraceTools,
  unexplainedDenials,
  writeRecorded,
  type TraceRecord,
  type TraceRun,
} from '../support/trace';

/**
 * `npm run test:trace`: every Gen 1 command that calls AWS, run by the real Amplify CLI 14.2.2 on
 * the examples against moto (test/e2e/trace), and each of its calls checked against the policy of
 * the command's phases (PHASE_COMMANDS), generated from a pristine copy of the example.
 * TRACE_RECORD=1 rewrites test/e2e/trace/recorded/, which the unit tests check without the CLI.
 */

const PROVIDERS = '{"awscloudformation":{"configLevel":"project","useProfile":true,"profileName":"default"}}';
const envAdd = (env: string, categories?: object): Command => ({
  args: [
    'env',
    'add',
    '--amplify',
    JSON.stringify({ envName: env }),
    '--providers',
    PROVIDERS,
    ...(categories ? ['--categories', JSON.stringify(categories)] : []),
    '--yes',
  ],
  env,
});

/** env add of a project with imported resources names them for the new env: the same ones as dev's. */
function importedFor(example: string): object {
  const file = path.join(REPO_ROOT, 'examples', example, 'amplify', 'team-provider-info.json');
  const { auth, storage } = JSON.parse(fs.readFileSync(file, 'utf8')).dev.categories;
  const pool = Object.values(auth)[0] as Record<string, string>;
  const stored = Object.values(storage) as Array<Record<string, string>>;
  const table = stored.find((s) => s.tableName);
  return {
    auth: {
      userPoolId: pool.userPoolId,
      webClientId: pool.webClientId,
      nativeClientId: pool.nativeClientId,
      identityPoolId: pool.identityPoolId,
    },
    storage: {
      bucketName: stored.find((s) => s.bucketName)?.bucketName,
      region: 'us-east-1',
      tables: table
        ? { [Object.keys(storage).find((k) => storage[k] === table) ?? '']: table.tableName }
        : {},
    },
  };
}

interface Command {
  readonly args: readonly string[];
  /** The env the command's policy is generated for (`--env`); default: the checked-out env. */
  readonly env?: string;
}

interface Scenario {
  /** The example the policies are generated from. */
  readonly example: string;
  /** Name of the recorded trace (default: the example's). */
  readonly record?: string;
  /** Trace an empty folder instead of the example (amplify init of a new project named like it). */
  readonly emptyFolder?: boolean;
  /** preload.py spec of resources that exist before the project (scripts/make-examples/payloads). */
  readonly preload?: string;
  readonly commands: readonly Command[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    example: 'lpdemo',
    commands: [
      { args: ['push', '--yes'] },
      { args: ['push', '--yes', '--force'] },
      { args: ['status'] },
      { args: ['pull', '--yes'] },
      { args: ['env', 'checkout', 'dev'] },
      { args: ['env', 'pull', '--yes'] },
      envAdd('test'),
      { args: ['env', 'checkout', 'dev'] },
      { args: ['env', 'remove', 'test', '--force'], env: 'test' },
      { args: ['codegen'] },
      { args: ['codegen', 'models'] },
      { args: ['delete', '--force'] },
    ],
  },
  {
    example: 'lpdemo',
    record: 'lpdemo-init',
    emptyFolder: true,
    commands: [
      {
        args: [
          'init',
          '--amplify',
          JSON.stringify({ projectName: 'lpdemo', envName: 'prod', defaultEditor: 'code' }),
          '--frontend',
          JSON.stringify({
            frontend: 'javascript',
            framework: 'none',
            config: {
              SourceDir: 'src',
              DistributionDir: 'dist',
              BuildCommand: 'npm run-script build',
              StartCommand: 'npm run-script start',
            },
          }),
          '--providers',
          PROVIDERS,
          '--yes',
        ],
        env: 'prod',
      },
    ],
  },
  {
    example: 'lpfull',
    commands: [
      { args: ['push', '--yes'] },
      { args: ['status'] },
      { args: ['pull', '--yes'] },
      envAdd('test'),
      { args: ['env', 'checkout', 'dev'] },
      { args: ['env', 'remove', 'test', '--force'], env: 'test' },
      { args: ['delete', '--force'] },
    ],
  },
  {
    example: 'lphosting',
    preload: 'lphosting-preload.json',
    commands: [
      { args: ['push', '--yes'] },
      { args: ['publish', '--yes', '--invalidateCloudFront'] },
      { args: ['push', '--yes', '--force'] },
      envAdd('test'),
      { args: ['env', 'checkout', 'dev'] },
      { args: ['env', 'remove', 'test', '--force'], env: 'test' },
      { args: ['delete', '--force'] },
    ],
  },
  {
    example: 'lpconsole',
    commands: [{ args: ['publish', '--yes'] }, { args: ['status'] }, { args: ['delete', '--force'] }],
  },
  {
    example: 'lpimport',
    preload: 'lpimport-preload.json',
    commands: [
      { args: ['push', '--yes'] },
      { args: ['status'] },
      { args: ['pull', '--yes'] },
      { args: ['env', 'checkout', 'dev'] },
      envAdd('test', importedFor('lpimport')),
      { args: ['env', 'checkout', 'dev'] },
      { args: ['env', 'remove', 'test', '--force'], env: 'test' },
      { args: ['delete', '--force'] },
    ],
  },
  {
    // a custom AWS CDK stack: push builds it (npm install of aws-cdk-lib in its folder, tsc, synth)
    // before it deploys it next to the function it references
    example: 'lpcdk',
    commands: [{ args: ['push', '--yes'] }, { args: ['delete', '--force'] }],
  },
];

/** trace.sh's step label: the command words before the first option. */
const stepOf = (args: readonly string[]): string => {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words.join(' ');
};

/** Seconds between a step's first and last call (the CLI's start-up is not in it). */
const secondsOf = (records: readonly TraceRecord[]): number => {
  const times = records.map((r) => (r as unknown as { t: number }).t).filter((t) => typeof t === 'number');
  return times.length > 1 ? Math.round((Math.max(...times) - Math.min(...times)) / 1000) : 0;
};

const results: string[] = [];

for (const scenario of SCENARIOS) {
  const name = scenario.record ?? scenario.example;
  describe(`trace ${name}: amplify ${scenario.commands.map((c) => stepOf(c.args)).join(', ')}`, function () {
    this.timeout(1_800_000);
    const example = path.join(REPO_ROOT, 'examples', scenario.example);
    let run: TraceRun;

    before(function () {
      skipWithoutTraceTools(this);
      const source = scenario.emptyFolder ? fs.mkdtempSync(path.join(os.tmpdir(), 'alp-empty-')) : example;
      const preload = scenario.preload
        ? { TRACE_PRELOAD: path.join(REPO_ROOT, 'scripts', 'make-examples', 'payloads', scenario.preload) }
        : {};
      run = runTrace(
        source,
        scenario.commands.map((c) => c.args),
        preload,
      );
      results.push(`${name}: ${run.summary.replace(/;.*$/, '')}`);
      if (process.env.TRACE_RECORD && run.status === 0) writeRecorded(name, run.records);
    });

    it('every command exits 0', () => {
      assert.equal(run.status, 0, `${run.summary}\n${run.cliOut.slice(-4000)}`);
    });

    for (const command of scenario.commands) {
      const step = stepOf(command.args);
      const phases = phasesOfStep(step);
      it(`amplify ${command.args.join(' ')}: every call is allowed by the ${phases.join('+')} policy${command.env ? ` of env ${command.env}` : ''}`, () => {
        const records = run.records.filter((r) => r.step === step);
        const policy = generatePolicy(example, phases, command.env ? ['--env', command.env] : []);
        const check = checkTrace(records, policy.file);
        const denied = unexplainedDenials(check.denied);
        results.push(
          `  ${step}: ${records.length} calls, ${check.checked} checks, ${check.denied.length} denied (${check.denied.length - denied.length} not included on purpose), ${secondsOf(records)} s`,
        );
        assert.deepEqual(denied, [], check.lines.join('\n'));
      });
    }
  });
}

after(() => {
  if (results.length > 0) console.log(`\n  Trace results:\n  ${results.join('\n  ')}`);
});
