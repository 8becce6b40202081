import * as assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { runAttach } from '../../src/attach/run-attach';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import type { CommandIo } from '../../src/invocation';
import { writeCraftedProject } from '../support/crafted-project';
import {
  attachedNames,
  attachForeignPolicy,
  createUser,
  ourPolicies,
  type MotoUser,
} from '../support/iam-fixture';
import { startMoto, type Moto } from '../support/moto';
import { runBin } from '../support/run-bin';

/** Integration tests of attach against a real local IAM (moto), started and stopped here. */
const BASE = 'amplify-lp-dev-least-privilege';
const io = (): CommandIo & { text: () => string } => {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), text: () => text };
};
const functionResource = (name: string) => ({
  [`Fn${name}`]: {
    Type: 'AWS::Lambda::Function',
    Properties: { FunctionName: { 'Fn::Join': ['-', [name, { Ref: 'env' }]] } },
  },
});
const generate = (resources: Record<string, unknown>): Promise<GenerateResult> =>
  generatePolicies({ projectDir: writeCraftedProject({ resources }) });
const attachAs = (user: MotoUser, result: GenerateResult, out = io()) =>
  runAttach(
    result,
    { yes: true, dryRun: false },
    { iam: user.iam, sts: user.sts, io: out, confirm: async () => false },
  );

describe('attach against a local IAM (moto)', function () {
  this.timeout(120_000);
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());
  beforeEach(async () => {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  });

  it('first attach creates the policies under our path and attaches them to the caller', async () => {
    const user = await createUser(moto.endpoint);
    const result = await generate(functionResource('a'));
    assert.equal(await attachAs(user, result), 0);
    const ours = await ourPolicies(user.iam);
    assert.deepEqual(ours.map((p) => p.name).sort(), result.policies.map((p) => p.name).sort());
    assert.ok(ours.every((p) => p.arn.includes(':policy/amplify-least-privilege/')));
    assert.deepEqual(await attachedNames(user.iam, user.name), result.policies.map((p) => p.name).sort());
  });

  it('a re-run with the same project changes nothing (no new version)', async () => {
    const user = await createUser(moto.endpoint);
    const result = await generate(functionResource('a'));
    await attachAs(user, result);
    const out = io();
    assert.equal(await attachAs(user, result, out), 0);
    assert.match(out.text(), /nothing to change/);
    assert.ok((await ourPolicies(user.iam)).every((p) => p.versions.length === 1));
  });

  it('a changed project adds a default version', async () => {
    const user = await createUser(moto.endpoint);
    await attachAs(user, await generate(functionResource('a')));
    const changed = await generate({ ...functionResource('a'), ...functionResource('b') });
    await attachAs(user, changed);
    const [policy] = await ourPolicies(user.iam);
    assert.equal(policy.versions.length, 2);
    assert.ok(JSON.stringify(policy.document).includes('function:b-dev'), 'the new version is the default');
  });

  it('with 5 versions, deletes the oldest non-default one before adding the new default', async () => {
    const user = await createUser(moto.endpoint);
    await attachAs(user, await generate(functionResource('a')));
    const [first] = await ourPolicies(user.iam);
    for (let i = 0; i < 4; i++) {
      const document = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::b${i}` }],
      });
      await user.iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: first.arn,
          PolicyDocument: document,
          SetAsDefault: i === 3,
        }),
      );
    }
    assert.deepEqual((await ourPolicies(user.iam))[0].versions, ['v1', 'v2', 'v3', 'v4', 'v5']);
    await attachAs(user, await generate(functionResource('a')));
    const [after] = await ourPolicies(user.iam);
    assert.deepEqual(after.versions, ['v2', 'v3', 'v4', 'v5', 'v6']);
    assert.ok(JSON.stringify(after.document).includes('function:a-dev'));
  });

  it('a shrinking split detaches and deletes only our surplus; foreign policies stay', async () => {
    const user = await createUser(moto.endpoint);
    const foreign = await attachForeignPolicy(user.iam, user.name, 'team-readonly');
    // An earlier run with three documents, and another env of the same project.
    for (const name of [`${BASE}-2`, `${BASE}-3`, 'amplify-lp-prod-least-privilege']) {
      const created = await user.iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: '/amplify-least-privilege/',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::x' }],
          }),
        }),
      );
      await user.iam.send(
        new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: created.Policy?.Arn }),
      );
    }
    const result = await generate(functionResource('a'));
    assert.equal(result.policies.length, 1);
    assert.equal(await attachAs(user, result), 0);
    const names = await attachedNames(user.iam, user.name);
    assert.deepEqual(names, [BASE, 'amplify-lp-prod-least-privilege', 'team-readonly'].sort());
    assert.deepEqual(
      (await ourPolicies(user.iam)).map((p) => p.name).sort(),
      [BASE, 'amplify-lp-prod-least-privilege'].sort(),
    );
    assert.ok(foreign.includes(':policy/team-readonly'));
  });

  it('--dry-run prints the plan and changes nothing; a declined confirmation changes nothing', async () => {
    const user = await createUser(moto.endpoint);
    const result = await generate(functionResource('a'));
    const out = io();
    assert.equal(
      await runAttach(
        result,
        { yes: false, dryRun: true },
        { iam: user.iam, sts: user.sts, io: out, confirm: async () => true },
      ),
      0,
    );
    assert.match(out.text(), /create policy {3}amplify-lp-dev-least-privilege/);
    assert.match(out.text(), /\+ lambda:CreateFunction/);
    assert.deepEqual(await ourPolicies(user.iam), []);
    const declined = await runAttach(
      result,
      { yes: false, dryRun: false },
      { iam: user.iam, sts: user.sts, io: io(), confirm: async () => false },
    );
    assert.equal(declined, 1);
    assert.deepEqual(await ourPolicies(user.iam), []);
  });

  it('the standalone bin attaches with the default credential chain and AWS_ENDPOINT_URL', async () => {
    const user = await createUser(moto.endpoint);
    const project = writeCraftedProject({ resources: functionResource('a') });
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: user.keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.keys.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const unconfirmed = runBin(['attach', '--project-dir', project], undefined, env);
    assert.equal(unconfirmed.status, 2, 'no terminal to confirm on');
    assert.match(unconfirmed.stderr, /Pass --yes to apply the plan, or --dry-run/);
    assert.deepEqual(await attachedNames(user.iam, user.name), []);
    const result = runBin(['attach', '--project-dir', project, '--yes'], undefined, env);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(
      !result.stderr.includes(user.keys.secretAccessKey) &&
        !result.stdout.includes(user.keys.secretAccessKey),
      'credentials are never printed',
    );
    assert.deepEqual(await attachedNames(user.iam, user.name), [BASE]);
    const again = runBin(['generate', '--attach', '--yes', '--project-dir', project], undefined, env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /nothing to change/);
  });
});
