import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatePolicies } from '../../src/engine';
import { ALL_PHASES, type Phase } from '../../src/model';
import { formatPattern } from '../../src/policy/arn-patterns';
import { loadIamReference } from '../../src/policy/iam-reference';
import { PHASE_COMMANDS, phasesOfCommand } from '../../src/requirements/phases';
import { DATA_DIR } from '../../src/catalog/catalog';
import { explainStatements } from '../../src/outputs/explain';
import { REPO_ROOT } from '../support/paths';
import { checkTrace, readRecorded, unexplainedDenials, type RecordedCall } from '../support/trace';
import { needs } from '../support/grants';

/**
 * data/cli-calls.json, the Amplify CLI's own AWS calls per phase, against the IAM reference and
 * against the recorded traces of the real CLI 14.2.2 on the examples
 * (test/e2e/trace/recorded, written by `TRACE_RECORD=1 npm run test:trace`).
 */

interface Entry {
  readonly id: string;
  readonly actions: readonly string[];
  readonly resource?: string | readonly string[];
  readonly phases: readonly Phase[];
  readonly when?: unknown;
  readonly because: string;
  readonly where: string;
  readonly traced?: readonly string[];
  readonly notTraced?: string;
}
const data = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'cli-calls.json'), 'utf8')) as {
  calls: Entry[];
  notIncluded: Array<{ actions: string[]; resource?: string; reason: string }>;
};

/** A value for every placeholder the resource templates may use (data/cli-calls.json source.resources). */
const SAMPLES: Record<string, string> = {
  Partition: 'aws',
  Region: 'us-east-1',
  Account: '123456789012',
  RootStackName: 'amplify-demo-dev-12345',
  DeploymentBucket: 'amplify-demo-dev-12345-deployment',
  AppId: 'd1234567890abc',
  Env: 'dev',
  AuthRoleName: 'amplify-demo-dev-12345-authRole',
  UnauthRoleName: 'amplify-demo-dev-12345-unauthRole',
  PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
  ResourceName: 'demoapi',
  BucketName: 'demobucket12345-dev',
  'Imported:userPoolId': 'us-east-1_AbCdEf123',
  'Imported:identityPoolId': 'us-east-1:0f7a1d2e-3b4c-4d5e-8f90-a1b2c3d4e5f6',
  'Imported:bucketName': 'existing-bucket',
  'Imported:tableName': 'existing-table',
  'aws:username': 'deployer',
};

/** The examples with recorded traces, each with the commands (trace steps) recorded on it. */
const EXAMPLES = ['lpdemo', 'lpfull', 'lphosting', 'lpconsole', 'lpimport', 'lpcdk'].filter(
  (example) => readRecorded(example).length > 0,
);

describe("cli-calls: the CLI's own calls per phase, checked against IAM and the real CLI's traces", function () {
  this.timeout(300_000);

  it('every entry has phases, a reason, its source and how the traces show it (or why they cannot)', () => {
    const ids = data.calls.map((call) => call.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const call of data.calls) {
      assert.ok(call.phases.length > 0 && call.phases.every((p) => ALL_PHASES.includes(p)), call.id);
      assert.ok(call.because.length > 20 && call.where.length > 10, call.id);
      assert.ok(
        (call.traced?.length ?? 0) > 0 || (call.notTraced?.length ?? 0) > 10,
        `${call.id}: traced or notTraced`,
      );
    }
    for (const excuse of data.notIncluded) assert.ok(excuse.actions.length > 0 && excuse.reason.length > 15);
  });

  it('every action exists, and every resource template is an ARN of the action (or * where it has no resource type)', async () => {
    const iam = await loadIamReference(
      data.calls.flatMap((call) => call.actions),
      [],
    );
    for (const call of data.calls) {
      for (const template of [call.resource ?? []].flat()) {
        for (const [, name] of template.matchAll(/\$\{([\w:]+)\}/g))
          assert.ok(name in SAMPLES, `${call.id}: unknown placeholder \${${name}}`);
      }
      for (const action of call.actions) {
        const info = iam.action(action);
        assert.ok(info, `${call.id}: ${action} is not an IAM action`);
        for (const template of [call.resource ?? []].flat()) {
          const arn = template
            .replace(/\$\{([\w:]+)\}/g, (_, name: string) => SAMPLES[name])
            .replace(/\*/g, 'x1');
          if (info.resourceTypes.length === 0) {
            assert.equal(template, '*', `${call.id}: ${action} has no resource type, so only * names it`);
            continue;
          }
          const formats = info.resourceTypes.flatMap((type) => type.formats);
          assert.ok(
            template === '*' || formats.some((format) => formatPattern(format).test(arn)),
            `${call.id}: ${arn} is none of ${action}'s resource types (${formats.join(', ')})`,
          );
        }
      }
    }
  });

  it("per-resource placeholders name the project's own hosting bucket, storage bucket and API", async () => {
    const resourcesOf = async (example: string, phases: Phase[], id: string): Promise<string[]> =>
      [
        ...new Set(
          needs(await generatePolicies({ projectDir: exampleDir(example), phases }))
            .filter((r) => r.reason.source === `data/cli-calls.json#${id}`)
            .map((r) => r.resource),
        ),
      ].sort();
    assert.deepEqual(await resourcesOf('lphosting', ['publish'], 'publish-s3-hosting'), [
      'arn:aws:s3:::lphosting-site-example-dev/*',
    ]);
    assert.deepEqual(await resourcesOf('lpdemo', ['delete'], 'delete-storage-bucket-objects'), [
      'arn:aws:s3:::lpbucket1234512345-dev/*',
    ]);
    assert.deepEqual(await resourcesOf('lpdemo', ['delete'], 'delete-api-sql-secrets'), [
      'arn:aws:ssm:us-east-1:123456789012:parameter/amplify/d1234567890abc/*/AMPLIFY_apidevlpapi_*',
    ]);
    assert.deepEqual(await resourcesOf('lpconsole', ['publish'], 'publish-amplifyhosting-jobs'), [
      'arn:aws:amplify:us-east-1:123456789012:apps/d1234567890abc/branches/dev/jobs/*',
    ]);
    assert.deepEqual(await resourcesOf('lpdemo', ['publish'], 'publish-s3-hosting'), []);
  });

  it('PHASE_COMMANDS names the phases of every recorded command, and every phase has commands', () => {
    for (const phase of ALL_PHASES) assert.ok(PHASE_COMMANDS[phase].length > 0, phase);
    for (const example of EXAMPLES) {
      for (const step of new Set(readRecorded(example).map((call) => call.step)))
        assert.ok(phasesOfCommand(step), `amplify ${step} (${example}) is in no phase`);
    }
    assert.deepEqual(phasesOfCommand('publish --yes'), ['push', 'publish']);
    assert.deepEqual(phasesOfCommand('env checkout prod'), ['pull']);
    assert.deepEqual(phasesOfCommand('api push'), ['push']);
    assert.deepEqual(phasesOfCommand('codegen models'), ['codegen']);
    assert.equal(phasesOfCommand('add api'), undefined);
  });

  it("each `traced` claim names a recorded command that made the entry's calls (all of them, or notTraced says why not)", () => {
    for (const call of data.calls) {
      const shown = new Set<string>();
      let checked = false;
      for (const claim of call.traced ?? []) {
        const [example, ...words] = claim.split(' ');
        const step = words.join(' ');
        const recorded = readRecorded(example).filter(
          (r) => r.step === step || r.step.startsWith(`${step} `),
        );
        assert.ok(recorded.length > 0, `${call.id}: no recorded "${step}" on ${example}`);
        const actions = new Set(recorded.flatMap(authorizations).map((a) => a.action.toLowerCase()));
        const seen = call.actions.filter((action) => actions.has(action.toLowerCase()));
        assert.ok(seen.length > 0, `${call.id}: "${claim}" shows none of ${call.actions.join(', ')}`);
        seen.forEach((action) => shown.add(action));
        checked = true;
      }
      const missing = call.actions.filter((action) => !shown.has(action));
      if (checked && !call.notTraced)
        assert.deepEqual(missing, [], `${call.id}: no recorded trace shows these`);
    }
  });

  it('explain shows each CLI call of the project with its evidence: the traced runs or why none reaches it', async () => {
    const result = await generatePolicies({
      projectDir: path.join(REPO_ROOT, 'examples', 'lpfull'),
      phases: [...ALL_PHASES],
    });
    const reasons = explainStatements(result).flatMap((s) => s.actions.flatMap((a) => a.reasons));
    const cliIds = new Set(
      result.grants.flatMap((g) =>
        g.origins.flatMap((group) => group.filter((r) => r.reason.via === 'cli').map((r) => r.reason.source)),
      ),
    );
    assert.ok(cliIds.size > 20, `only ${cliIds.size} CLI calls apply to lpfull`);
    for (const source of cliIds) {
      const call = data.calls.find((c) => `data/cli-calls.json#${c.id}` === source);
      assert.ok(call, source);
      const line = reasons.find((r) => r.includes(`[${source}]`));
      assert.ok(line, `${source}: not in explain`);
      for (const run of call.traced ?? [])
        assert.ok(line.includes(run), `${source}: explain does not name ${run}`);
      if (call.notTraced)
        assert.ok(line.includes(`not traced: ${call.notTraced}`), `${source}: no notTraced`);
    }
  });

  for (const example of EXAMPLES) {
    const recorded = readRecorded(example);
    const byPhases = new Map<string, RecordedCall[]>();
    for (const call of recorded) {
      const phases = (phasesOfCommand(call.step) ?? []).join('+');
      byPhases.set(phases, [...(byPhases.get(phases) ?? []), call]);
    }
    for (const [phaseList, calls] of byPhases) {
      const phases = phaseList.split('+') as Phase[];
      const steps = [...new Set(calls.map((c) => c.step))];
      const envOf = (step: string): string | undefined =>
        /^env (add|remove)/.test(step) || step === 'init' ? envOfStep(step) : undefined;
      for (const env of new Set(steps.map(envOf))) {
        const own = calls.filter((c) => envOf(c.step) === env);
        const label = `${example} ${[...new Set(own.map((c) => c.step))].join(', ')}`;

        it(`${label}: the ${phaseList} policy${env ? ` of env ${env}` : ''} allows every recorded call`, async () => {
          const result = await generatePolicies({ projectDir: exampleDir(example), phases, envName: env });
          const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alp-recorded-')), 'policy.json');
          fs.writeFileSync(file, JSON.stringify({ policies: result.policies, trimmed: result.trimmed }));
          const check = checkTrace(own, file);
          assert.deepEqual(unexplainedDenials(check.denied), [], check.lines.join('\n'));
        });
      }
    }
    // Tight: every CLI call a phase grants was recorded on this example by a command that needs
    // that phase (publish also needs push), or its entry says why no trace can show it.
    for (const phase of ALL_PHASES) {
      const calls = recorded.filter((call) => phasesOfCommand(call.step)?.includes(phase));
      if (calls.length === 0) continue;
      const steps = [...new Set(calls.map((c) => c.step))];
      it(`${example} ${phase}: the policy grants no CLI call that the recorded ${steps.join(', ')} did not make`, async () => {
        const result = await generatePolicies({ projectDir: exampleDir(example), phases: [phase] });
        const made = new Set(calls.flatMap(authorizations).map((a) => a.action.toLowerCase()));
        const unproven = new Set<string>();
        for (const requirement of needs(result)) {
          if (requirement.reason.via !== 'cli') continue;
          const id = requirement.reason.source.replace(/^.*#/, '');
          const entry = data.calls.find((call) => call.id === id);
          assert.ok(entry, id);
          if (entry.notTraced || made.has(requirement.action.toLowerCase())) continue;
          unproven.add(`${requirement.action} (${id})`);
        }
        assert.deepEqual([...unproven], []);
      });
    }
  }
});

const exampleDir = (example: string): string => path.join(REPO_ROOT, 'examples', example);

const authorizations = (call: RecordedCall): ReadonlyArray<{ action: string; resource: string }> =>
  call.iam ?? [{ action: call.action, resource: call.resource }];

/**
 * The env an `env add`, `env remove ENV` or `init` step works on: the trace scenarios
 * (test/trace/commands.trace.ts) add and remove env `test` and init env `prod`.
 */
function envOfStep(step: string): string {
  if (step === 'init') return 'prod';
  const words = step.split(' ');
  return words[1] === 'remove' ? words[2] : 'test';
}
