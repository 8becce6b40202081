import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreatePolicyCommand, GetPolicyCommand, ListPolicyTagsCommand } from '@aws-sdk/client-iam';
import { cdkFixtures } from '../support/cdk-requests';
import { attachedNames, createUser, ourPolicies, type MotoUser } from '../support/iam-fixture';
import { startMoto, type Moto } from '../support/moto';
import { runBin, type BinResult } from '../support/run-bin';

/**
 * attach for CDK apps (`generate --cdk-out DIR --attach`, `attach --cdk-out DIR`) as a user runs
 * it, on committed assemblies of real apps (test/fixtures/cdk), against a real local IAM/STS
 * (moto, account 123456789012): the execution role's policies created or updated and never
 * attached, the deployer's attached, the cdk bootstrap command printed with the real ARNs.
 */
const ACCOUNT = '123456789012';
const EXEC = 'wafapp-cfn-exec-role-least-privilege';
const DEPLOYER = 'wafapp-cdk-deployer-least-privilege';
const PATH_ARN = `arn:aws:iam::${ACCOUNT}:policy/amplify-least-privilege/`;

/** A copy of a fixture's assembly as `<tmp>/<app>/cdk.out`: the app's name is its folder's. */
function appFrom(fixture: string, app: string): string {
  const source = cdkFixtures().find((f) => f.name === fixture);
  assert.ok(source, `fixture ${fixture}`);
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alp-cdk-attach-')), app);
  fs.cpSync(source.assemblyDir, path.join(dir, 'cdk.out'), { recursive: true });
  return dir;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('attach for a CDK app against a local IAM (moto)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let user: MotoUser;
  let app: string;
  const run = (args: readonly string[], as: MotoUser = user): BinResult =>
    runBin(args, app, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: as.keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: as.keys.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());
  beforeEach(async () => {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    user = await createUser(moto.endpoint);
    app = appFrom('waf', 'wafapp');
  });
  afterEach(() => fs.rmSync(path.dirname(app), { recursive: true, force: true }));

  it("creates both policies with the generated documents and our tag, attaches only the deployer's, prints the cdk bootstrap command", async () => {
    const first = run(['generate', '--cdk-out', '.', '--attach', '--yes']);
    assert.equal(first.status, 0, first.stderr);
    const policies = await ourPolicies(user.iam);
    assert.deepEqual(policies.map((p) => p.name).sort(), [DEPLOYER, EXEC]);
    for (const policy of policies) {
      assert.equal(policy.arn, `${PATH_ARN}${policy.name}`);
      assert.deepEqual(policy.versions, ['v1']);
      // What IAM holds is what generate wrote to the file.
      assert.deepEqual(policy.document, readJson(path.join(app, 'least-privilege', `${policy.name}.json`)));
      const tags = (await user.iam.send(new ListPolicyTagsCommand({ PolicyArn: policy.arn }))).Tags;
      assert.deepEqual(tags, [{ Key: 'amplify-least-privilege', Value: 'cdk/wafapp' }]);
    }
    assert.deepEqual(await attachedNames(user.iam, user.name), [DEPLOYER], 'only the deployer is attached');
    const exec = (await user.iam.send(new GetPolicyCommand({ PolicyArn: `${PATH_ARN}${EXEC}` }))).Policy;
    assert.equal(exec?.AttachmentCount, 0, 'the execution role policy is attached to no one');
    assert.ok(
      first.stdout.includes(
        `\n  cdk bootstrap aws://${ACCOUNT}/us-east-1 --cloudformation-execution-policies ${PATH_ARN}${EXEC}\n`,
      ),
      first.stdout,
    );
    assert.doesNotMatch(first.stderr, /create-policy|attach-user-policy/);

    // The environment-agnostic assembly got the caller's account: the same documents as --account 123456789012.
    const withAccount = JSON.parse(
      run(['generate', '--cdk-out', '.', '--account', ACCOUNT, '--json']).stdout,
    ) as { policies: Array<{ name: string; document: unknown }> };
    const without = JSON.parse(run(['generate', '--cdk-out', '.', '--json']).stdout) as {
      policies: Array<{ name: string; document: unknown }>;
    };
    const execDocument = policies.find((p) => p.name === EXEC)?.document;
    assert.deepEqual(execDocument, withAccount.policies.find((p) => p.name === EXEC)?.document);
    assert.notDeepEqual(execDocument, without.policies.find((p) => p.name === EXEC)?.document);
    assert.match(JSON.stringify(execDocument), /arn:aws:wafv2:us-east-1:123456789012:/);

    // attach --cdk-out: the same inputs; nothing left to change.
    const again = run(['attach', '--cdk-out', '.', '--yes']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /nothing to change: the policies are up to date/);
    assert.match(again.stderr, /nothing to change: the attached policies are up to date/);
    assert.ok((await ourPolicies(user.iam)).every((p) => p.versions.length === 1));
  });

  it('a changed app adds a default version to the changed policy only, and keeps at most 5 versions', async () => {
    const templateFile = path.join(app, 'cdk.out', 'WafRegionalStack.template.json');
    const original = readJson(templateFile) as { Resources: Record<string, unknown> };
    const withQueue = (name: string): void =>
      fs.writeFileSync(
        templateFile,
        JSON.stringify({
          ...original,
          Resources: {
            ...original.Resources,
            Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: name } },
          },
        }),
      );
    assert.equal(run(['generate', '--cdk-out', '.', '--attach', '--yes']).status, 0);
    for (let i = 1; i <= 6; i++) {
      withQueue(`wafapp-jobs-${i}`);
      const changed = run(['attach', '--cdk-out', '.', '--yes']);
      assert.equal(changed.status, 0, changed.stderr);
      assert.match(changed.stderr, new RegExp(`new version {5}${EXEC}`));
      if (i >= 5) assert.match(changed.stderr, new RegExp(`delete version {2}${EXEC} v${i - 4}`));
      const exec = (await ourPolicies(user.iam)).find((p) => p.name === EXEC);
      assert.ok(exec && exec.versions.length <= 5, `${exec?.versions.length} versions`);
      assert.match(JSON.stringify(exec.document), new RegExp(`:wafapp-jobs-${i}"`), 'the new default');
    }
    const byName = Object.fromEntries((await ourPolicies(user.iam)).map((p) => [p.name, p.versions]));
    assert.deepEqual(byName[EXEC], ['v3', 'v4', 'v5', 'v6', 'v7']);
    assert.deepEqual(byName[DEPLOYER], ['v1'], "the deployer's document did not change");
    assert.deepEqual(await attachedNames(user.iam, user.name), [DEPLOYER]);
  });

  it('refuses a policy at our name that is not ours, changing nothing at all, until --force', async () => {
    const foreign = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::their-bucket' }],
    };
    await user.iam.send(
      new CreatePolicyCommand({
        PolicyName: EXEC,
        Path: '/amplify-least-privilege/',
        PolicyDocument: JSON.stringify(foreign),
      }),
    );
    const refused = run(['generate', '--cdk-out', '.', '--attach', '--yes']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`NOT CHANGED without --force: ${EXEC}`));
    assert.match(refused.stderr, /- +"Resource": "arn:aws:s3:::their-bucket"/);
    assert.match(refused.stderr, /\+ +"wafv2:CreateWebACL",/);
    // Nothing half-done: the deployer's policy is not created either, and no file is written.
    assert.deepEqual(
      (await ourPolicies(user.iam)).map((p) => [p.name, p.versions, p.document]),
      [[EXEC, ['v1'], foreign]],
    );
    assert.deepEqual(await attachedNames(user.iam, user.name), []);
    assert.equal(fs.existsSync(path.join(app, 'least-privilege')), false);

    const forced = run(['generate', '--cdk-out', '.', '--attach', '--yes', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`TAKEN OVER \\(--force\\): ${EXEC}`));
    const taken = (await ourPolicies(user.iam)).find((p) => p.name === EXEC);
    assert.deepEqual(taken?.versions, ['v1', 'v2']);
    assert.deepEqual(taken?.document, readJson(path.join(app, 'least-privilege', `${EXEC}.json`)));
    const tags = (await user.iam.send(new ListPolicyTagsCommand({ PolicyArn: `${PATH_ARN}${EXEC}` }))).Tags;
    assert.deepEqual(tags, [{ Key: 'amplify-least-privilege', Value: 'cdk/wafapp' }]);
    assert.deepEqual(await attachedNames(user.iam, user.name), [DEPLOYER]);
  });

  it('--dry-run prints both plans and the bootstrap command, and changes nothing', async () => {
    const dry = run(['generate', '--cdk-out', '.', '--attach', '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, new RegExp(`create policy {3}${EXEC}`));
    assert.match(dry.stderr, new RegExp(`attach {10}${DEPLOYER}`));
    assert.doesNotMatch(dry.stderr, new RegExp(`attach {10}${EXEC}`));
    assert.match(dry.stderr, /--dry-run: nothing was changed\./);
    assert.match(
      dry.stdout,
      new RegExp(`Then, once applied:\\n {2}cdk bootstrap aws://${ACCOUNT}/us-east-1 `),
    );
    assert.deepEqual(await ourPolicies(user.iam), []);
    assert.equal(fs.existsSync(path.join(app, 'least-privilege')), false);
    // Without a terminal and without --yes: refused before anything changes.
    const unconfirmed = run(['attach', '--cdk-out', '.']);
    assert.equal(unconfirmed.status, 2);
    assert.match(unconfirmed.stderr, /Pass --yes to apply the plan, or --dry-run/);
    assert.deepEqual(await ourPolicies(user.iam), []);
  });

  it("refuses --account naming another account than the caller's, and stacks pinned to another account", async () => {
    const other = run(['generate', '--cdk-out', '.', '--attach', '--yes', '--account', '111111111111']);
    assert.equal(other.status, 2, other.stderr);
    assert.match(
      other.stderr,
      /--account 111111111111 is not the account of the credentials \(123456789012\)/,
    );
    const manifest = path.join(app, 'cdk.out', 'manifest.json');
    fs.writeFileSync(
      manifest,
      fs.readFileSync(manifest, 'utf8').replaceAll('aws://unknown-account/', 'aws://111111111111/'),
    );
    const pinned = run(['attach', '--cdk-out', '.', '--yes']);
    assert.equal(pinned.status, 2, pinned.stderr);
    assert.match(
      pinned.stderr,
      /deploy\(s\) to account 111111111111, but the credentials are in account 123456789012/,
    );
    assert.deepEqual(await ourPolicies(user.iam), []);
    assert.equal(fs.existsSync(path.join(app, 'least-privilege')), false);
  });

  it("an app without account or region: the caller's account, --region, and the deployer attached to --user", async () => {
    app = appFrom('lambda-layer', 'layerapp');
    const other = await createUser(moto.endpoint);
    const done = run(['attach', '--cdk-out', '.', '--region', 'eu-west-1', '--user', other.name, '--yes']);
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(await attachedNames(user.iam, other.name), ['layerapp-cdk-deployer-least-privilege']);
    assert.deepEqual(await attachedNames(user.iam, user.name), []);
    const deployer = (await ourPolicies(user.iam)).find(
      (p) => p.name === 'layerapp-cdk-deployer-least-privilege',
    );
    assert.match(
      JSON.stringify(deployer?.document),
      new RegExp(`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-deploy-role-${ACCOUNT}-eu-west-1`),
    );
    assert.ok(
      done.stdout.includes(
        `cdk bootstrap aws://${ACCOUNT}/eu-west-1 --cloudformation-execution-policies ${PATH_ARN}layerapp-cfn-exec-role-least-privilege\n`,
      ),
      done.stdout,
    );
  });
});
