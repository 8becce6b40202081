import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdkFixtures } from '../support/cdk-requests';
import { runBin } from '../support/run-bin';

/** `generate` and `explain` with --cdk-out / --template, as a user runs them: inputs, errors, files. */
const fixture = cdkFixtures().find((f) => f.name === 'appsync-graphql-dynamodb')!;
const gen2 = cdkFixtures().find((f) => f.name === 'amplify-next-template')!;

describe('CDK commands: generate and explain with --cdk-out and --template', function () {
  this.timeout(60_000);
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-cdk-cmd-'));
    fs.cpSync(fixture.assemblyDir, path.join(work, 'cdk.out'), { recursive: true });
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('finds the assembly from the app folder or cdk.out, and gives the same documents', () => {
    const fromApp = runBin(['generate', '--cdk-out', '.', '--json'], work);
    const fromOut = runBin(['generate', '--cdk-out', 'cdk.out', '--json'], work);
    assert.equal(fromApp.status, 0, fromApp.stderr);
    assert.deepEqual(JSON.parse(fromApp.stdout).policies, JSON.parse(fromOut.stdout).policies);
    assert.equal(fs.existsSync(path.join(work, 'least-privilege')), false, '--json writes no file');
  });

  it("finds an Amplify Gen 2 project's synthesized backend in .amplify/artifacts/cdk.out", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-gen2-'));
    try {
      fs.cpSync(gen2.assemblyDir, path.join(project, '.amplify', 'artifacts', 'cdk.out'), {
        recursive: true,
      });
      const run = runBin(['generate', '--cdk-out', project, '--json'], work);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as {
        cdk: { source: string; stacks: Array<{ templates: string[] }> };
      };
      assert.equal(report.cdk.source, 'amplify-gen2');
      assert.equal(report.cdk.stacks[0].templates.length, 5, 'the root stack and its four nested stacks');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('says how to synthesize a Gen 2 project or a CDK app that has no assembly yet', () => {
    fs.mkdirSync(path.join(work, 'gen2', 'amplify'), { recursive: true });
    fs.writeFileSync(path.join(work, 'gen2', 'amplify', 'backend.ts'), 'export {};\n');
    const gen2Run = runBin(['generate', '--cdk-out', 'gen2'], work);
    assert.equal(gen2Run.status, 1);
    assert.match(gen2Run.stderr, /amplify-backend-namespace=.*--output \.amplify\/artifacts\/cdk\.out/);
    fs.mkdirSync(path.join(work, 'app'));
    fs.writeFileSync(path.join(work, 'app', 'cdk.json'), '{"app":"node app.js"}\n');
    const appRun = runBin(['generate', '--cdk-out', 'app'], work);
    assert.equal(appRun.status, 1);
    assert.match(appRun.stderr, /npx cdk synth/);
  });

  it('refuses Gen 1 options, Amplify phases, malformed accounts and both inputs at once', () => {
    for (const args of [
      ['--cdk-out', '.', '--env', 'dev'],
      ['--cdk-out', '.', '--phases', 'push,pull'],
      ['--cdk-out', '.', '--account', '12345'],
      ['--cdk-out', '.', '--region', 'moon-1'],
      ['--cdk-out', '.', '--template', 'cdk.out/CdkAppsyncDemoStack.template.json'],
      ['--account', '123456789012'],
    ]) {
      const run = runBin(['generate', ...args], work);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^error: /);
    }
  });

  it('writes one file per document under least-privilege/, again byte-identical, and never into the assembly', () => {
    const first = runBin(['generate', '--cdk-out', '.', '--account', '123456789012'], work);
    assert.equal(first.status, 0, first.stderr);
    const folder = path.join(work, 'least-privilege');
    const read = (): Record<string, string> =>
      Object.fromEntries(
        fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')]),
      );
    const before = read();
    // Two documents (execution role, deployer), each with its review naming every granted action.
    const app = path.basename(work);
    assert.deepEqual(
      Object.keys(before).sort(),
      ['cdk-deployer', 'cfn-exec-role'].flatMap((role) =>
        ['json', 'md'].map((ext) => `${app}-${role}-least-privilege.${ext}`),
      ),
    );
    for (const name of Object.keys(before).filter((f) => f.endsWith('.json'))) {
      const review = before[name.replace(/\.json$/, '.md')];
      const statements = (JSON.parse(before[name]) as { Statement: Array<{ Action: string | string[] }> })
        .Statement;
      for (const action of statements.flatMap((st) => [st.Action].flat()))
        assert.ok(review.includes(action), `${name}: the review does not name ${action}`);
      // The CDK CLI's own calls are credited to it, never to the Amplify CLI.
      assert.doesNotMatch(review, /Amplify CLI/, name);
    }
    assert.match(before[`${app}-cdk-deployer-least-privilege.md`], /the CDK CLI: assumes the /);
    assert.equal(runBin(['generate', '--cdk-out', '.', '--account', '123456789012'], work).status, 0);
    assert.deepEqual(read(), before);
    const inside = runBin(['generate', '--cdk-out', '.', '--out', 'cdk.out/policy.json'], work);
    assert.equal(inside.status, 2);
    assert.equal(fs.existsSync(path.join(work, 'cdk.out', 'policy.json')), false);
  });

  it('takes plain templates (repeated or a comma list) and says which stack name it assumed', () => {
    const template = path.join('cdk.out', 'CdkAppsyncDemoStack.template.json');
    const repeated = runBin(['generate', '--template', template, '--template', template, '--json'], work);
    const listed = runBin(['generate', '--template', `${template},${template}`, '--json'], work);
    assert.equal(repeated.status, 0, repeated.stderr);
    assert.deepEqual(JSON.parse(repeated.stdout).policies, JSON.parse(listed.stdout).policies);
    const report = JSON.parse(repeated.stdout) as { warnings: string[]; cdk: { source: string } };
    assert.equal(report.cdk.source, 'templates');
    assert.ok(report.warnings.some((w) => w.includes('names no stack')));
    // A template that is not strict JSON is read leniently, and says so as an Amplify project's does.
    fs.writeFileSync(
      path.join(work, 'lenient.json'),
      '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q1"}},}}\n',
    );
    const lenient = runBin(['generate', '--template', 'lenient.json', '--json'], work);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.ok(
      (JSON.parse(lenient.stdout) as { warnings: string[] }).warnings.some((w) =>
        w.includes('lenient.json is not valid JSON'),
      ),
    );
  });

  it('explains the execution role and the deployer documents', () => {
    const run = runBin(['explain', 'sts:AssumeRole', '--cdk-out', '.', '--json'], work);
    assert.equal(run.status, 0, run.stderr);
    const { statements } = JSON.parse(run.stdout) as {
      statements: Array<{ policy: string; actions: Array<{ action: string; reasons: string[] }> }>;
    };
    const assume = statements.flatMap((s) => s.actions).filter((a) => a.action === 'sts:AssumeRole');
    assert.ok(
      assume.length > 0 && assume.every((a) => a.reasons.some((r) => r.includes('the CDK CLI calls it'))),
    );
    const handlers = runBin(['explain', 'appsync:CreateGraphqlApi', '--cdk-out', '.'], work);
    assert.match(
      handlers.stdout,
      /CloudFormation, for stack\/CdkAppsyncDemoStack: AWS::AppSync::GraphQLApi create/,
    );
  });
});
