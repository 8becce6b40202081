import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NamedPolicy } from '../../src/model';
import { attachedNames, createUser, ourPolicies } from '../support/iam-fixture';
import { startMoto } from '../support/moto';
import { REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';
import { deniedRequests } from '../support/simulate';

/**
 * The repository's own tiny CDK app (test/fixtures/cdk-src/tiny-app: its package.json and
 * lockfile pin aws-cdk-lib), installed once into its folder (node_modules, git-ignored; again
 * only when the lockfile changes), synthesized here by aws-cdk-lib itself, then `generate
 * --cdk-out` as a user runs it. Without the npm registry the suite is skipped with a note,
 * except where LP_REQUIRE_CDK_SYNTH is set (CI).
 */
const APP = path.join(REPO_ROOT, 'test', 'fixtures', 'cdk-src', 'tiny-app');
const ACCOUNT = '123456789012';

/** Installs the app's dependencies from its lockfile; undefined when done, else why not. */
function install(): string | undefined {
  const marker = path.join(APP, 'node_modules', '.installed-lock-sha256');
  const hash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(APP, 'package-lock.json')))
    .digest('hex');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) return undefined;
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: APP,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (npm.status !== 0) return `npm ci failed: ${(npm.stderr || String(npm.error)).trim().split('\n').pop()}`;
  fs.writeFileSync(marker, hash);
  return undefined;
}

interface Report {
  policies: Array<NamedPolicy & { principal: string; file?: string }>;
  warnings: string[];
  cdk: { stacks: Array<{ stackName: string; templates: string[]; qualifier?: string }>; targets: unknown[] };
}

describe('CDK: synthesize the repository tiny app with its pinned aws-cdk-lib, then generate', function () {
  this.timeout(360_000);
  let work: string;
  let report: Report;

  before(function () {
    const problem = install();
    if (problem) {
      if (process.env.LP_REQUIRE_CDK_SYNTH) throw new Error(problem);
      console.log(`    (skipped: the tiny CDK app could not be installed: ${problem})`);
      this.skip();
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-cdk-'));
    const synth = spawnSync(process.execPath, [path.join(APP, 'app.js')], {
      cwd: APP,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: path.join(work, 'cdk.out') },
    });
    assert.equal(synth.status, 0, synth.stderr);
    const run = runBin(['generate', '--cdk-out', 'cdk.out', '--account', ACCOUNT, '--json'], work);
    assert.equal(run.status, 0, run.stderr);
    report = JSON.parse(run.stdout) as Report;
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('reads the stack, its nested stack and its assets from the assembly', () => {
    assert.deepEqual(
      report.cdk.stacks.map((s) => s.stackName),
      ['TinyStack'],
    );
    assert.equal(report.cdk.stacks[0].templates.length, 2, 'the stack and its nested stack');
    assert.equal(report.cdk.stacks[0].qualifier, 'hnb659fds');
    assert.deepEqual([...new Set(report.policies.map((p) => p.principal))].sort(), [
      'deployer',
      'execution-role',
    ]);
  });

  it('lets the execution role deploy the stack, the nested queue and the function from its asset, scoped to the stack', async () => {
    const exec = report.policies.filter((p) => p.principal === 'execution-role');
    const text = JSON.stringify(exec.map((p) => p.document));
    assert.doesNotMatch(text, /aws:CalledVia/);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(work, 'cdk.out', 'TinyStack.assets.json'), 'utf8'),
    ) as {
      files: Record<
        string,
        { source: { path: string }; destinations: Record<string, { objectKey: string }> }
      >;
    };
    const code = Object.values(manifest.files).find((f) => f.source.path.startsWith('asset.'))!;
    const key = Object.values(code.destinations)[0].objectKey;
    const at = `eu-west-1:${ACCOUNT}`;
    const template = JSON.parse(
      fs.readFileSync(path.join(work, 'cdk.out', 'TinyStack.template.json'), 'utf8'),
    ) as {
      Resources: Record<string, { Type: string }>;
    };
    const nested = Object.keys(template.Resources).find(
      (id) => template.Resources[id].Type === 'AWS::CloudFormation::Stack',
    )!;
    const requests = [
      [
        'cloudformation:CreateStack',
        `arn:aws:cloudformation:${at}:stack/TinyStack-${nested}-1A2B3C4D5E6F/abc`,
      ],
      ['sqs:CreateQueue', `arn:aws:sqs:${at}:TinyStack-QueuesNestedStackQueuesNested-JobsA1B2-AbCdEf`],
      ['lambda:CreateFunction', `arn:aws:lambda:${at}:function:TinyStack-Handler886CB40B-AbCdEfGh`],
      ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/TinyStack-HandlerServiceRoleFCDC14AE-AbCdEf`],
      ['dynamodb:CreateTable', `arn:aws:dynamodb:${at}:table/TinyStack-ItemsE1B5A2C3-AbCdEf`],
      ['s3:CreateBucket', 'arn:aws:s3:::tinystack-uploads1a2b3c4d-abcdef'],
      ['s3:GetObject', `arn:aws:s3:::cdk-hnb659fds-assets-${ACCOUNT}-eu-west-1/${key}`],
    ].map(([action, resource]) => ({ action, resource, why: 'cdk deploy of TinyStack' }));
    assert.deepEqual(await deniedRequests(exec, requests, 'eu-west-1'), []);
    const outside = [
      ['lambda:CreateFunction', `arn:aws:lambda:${at}:function:OtherStack-Handler-AbCdEf`],
      ['dynamodb:DeleteTable', `arn:aws:dynamodb:${at}:table/TinyStack-ItemsE1B5A2C3-AbCdEf`],
      ['s3:GetObject', `arn:aws:s3:::cdk-hnb659fds-assets-${ACCOUNT}-eu-west-1/someone-elses.zip`],
    ].map(([action, resource]) => ({ action, resource, why: 'not this stack, or a delete of data' }));
    assert.equal((await deniedRequests(exec, outside, 'eu-west-1')).length, outside.length);
  });

  it("gives the deployer the bootstrap roles of the manifest's qualifier, account and region only", async () => {
    const deployer = report.policies.filter((p) => p.principal === 'deployer');
    const role = (name: string): string =>
      `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-${name}-${ACCOUNT}-eu-west-1`;
    const assume = (arn: string): { action: string; resource: string; why: string } => ({
      action: 'sts:AssumeRole',
      resource: arn,
      why: 'cdk deploy',
    });
    assert.deepEqual(
      await deniedRequests(
        deployer,
        ['deploy-role', 'file-publishing-role', 'lookup-role'].map(role).map(assume),
      ),
      [],
    );
    const refused = [role('cfn-exec-role'), role('deploy-role').replace('eu-west-1', 'us-east-1')].map(
      assume,
    );
    assert.equal((await deniedRequests(deployer, refused)).length, refused.length);
  });

  it('writes the files and prints the bootstrap command without --json', () => {
    const run = runBin(['generate', '--cdk-out', '.', '--account', ACCOUNT], work);
    assert.equal(run.status, 0, run.stderr);
    const written = fs.readdirSync(path.join(work, 'least-privilege')).sort();
    assert.ok(
      written.some((file) => file.includes('cfn-exec-role')) &&
        written.some((file) => file.includes('deployer')),
    );
    assert.match(
      run.stderr,
      new RegExp(
        `cdk bootstrap aws://${ACCOUNT}/eu-west-1 --cloudformation-execution-policies arn:aws:iam::${ACCOUNT}:policy/`,
      ),
    );
  });

  it("attach: creates both policies in a local IAM (moto) in the caller's account, attaches the deployer's, prints the bootstrap command", async () => {
    const moto = await startMoto();
    try {
      const user = await createUser(moto.endpoint);
      const run = runBin(['generate', '--cdk-out', '.', '--attach', '--yes'], work, {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: user.keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: user.keys.secretAccessKey,
        AWS_REGION: 'us-east-1',
      });
      assert.equal(run.status, 0, run.stderr);
      const inIam = await ourPolicies(user.iam);
      // moto's account is ACCOUNT: the documents are the ones generated with --account ACCOUNT.
      assert.deepEqual(inIam.map((p) => p.name).sort(), report.policies.map((p) => p.name).sort());
      for (const policy of inIam)
        assert.deepEqual(
          policy.document,
          JSON.parse(fs.readFileSync(path.join(work, 'least-privilege', `${policy.name}.json`), 'utf8')),
        );
      const deployers = report.policies.filter((p) => p.principal === 'deployer').map((p) => p.name);
      assert.deepEqual(await attachedNames(user.iam, user.name), deployers.sort());
      const exec = report.policies.filter((p) => p.principal === 'execution-role').map((p) => p.name);
      assert.ok(
        run.stdout.includes(
          `cdk bootstrap aws://${ACCOUNT}/eu-west-1 --cloudformation-execution-policies ${exec.map((name) => `arn:aws:iam::${ACCOUNT}:policy/amplify-least-privilege/${name}`).join(',')}\n`,
        ),
        run.stdout,
      );
    } finally {
      await moto.stop();
    }
  });
});
