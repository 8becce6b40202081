import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPolicyTagsCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
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
    // An earlier run with three documents, and another env of the same project (each tagged as its own).
    for (const [name, tag] of [
      [`${BASE}-2`, 'lp/dev'],
      [`${BASE}-3`, 'lp/dev'],
      ['amplify-lp-prod-least-privilege', 'lp/prod'],
    ]) {
      const created = await user.iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: '/amplify-least-privilege/',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::x' }],
          }),
          Tags: [{ Key: 'amplify-least-privilege', Value: tag }],
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
    assert.match(out.text(), /--dry-run: nothing was changed\.\n$/);
    assert.deepEqual(await ourPolicies(user.iam), []);
    const declined = await runAttach(
      result,
      { yes: false, dryRun: false },
      { iam: user.iam, sts: user.sts, io: io(), confirm: async () => false },
    );
    assert.equal(declined, 1);
    assert.deepEqual(await ourPolicies(user.iam), []);
  });

  it('a policy at our path and name without our tag is left untouched without --force; the plan shows the diff', async () => {
    const user = await createUser(moto.endpoint);
    const other = await createUser(moto.endpoint);
    // Someone else's policy at exactly our path and name, attached to another user.
    const foreignDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::their-bucket' }],
    };
    const arn =
      (
        await user.iam.send(
          new CreatePolicyCommand({
            PolicyName: BASE,
            Path: '/amplify-least-privilege/',
            PolicyDocument: JSON.stringify(foreignDocument),
          }),
        )
      ).Policy?.Arn ?? '';
    await user.iam.send(new AttachUserPolicyCommand({ UserName: other.name, PolicyArn: arn }));
    const result = await generate(functionResource('a'));
    const out = io();
    await assert.rejects(attachAs(user, result, out), (err: unknown) =>
      /not this project's to change.*Nothing was changed/.test((err as Error).message),
    );
    const plan = out.text();
    assert.match(plan, /NOT CHANGED without --force: amplify-lp-dev-least-privilege/);
    assert.match(
      plan,
      /no amplify-least-privilege tag, so another project or a person made it; attached to 1 other/,
    );
    assert.match(plan, /- +"Resource": "arn:aws:s3:::their-bucket"/, 'the diff shows what it holds now');
    assert.match(plan, /\+ +"amplify:GetApp",/, 'and what ours adds');
    const [untouched] = await ourPolicies(user.iam);
    assert.deepEqual(untouched.versions, ['v1']);
    assert.deepEqual(untouched.document, foreignDocument);
    assert.deepEqual(await attachedNames(user.iam, user.name), [], 'not attached to the caller either');
    assert.deepEqual(await attachedNames(user.iam, other.name), [BASE]);

    // --force takes it over: a new default version with our document, our tag, attached to the caller.
    const forced = io();
    assert.equal(
      await runAttach(
        result,
        { yes: true, dryRun: false, force: true },
        { iam: user.iam, sts: user.sts, io: forced, confirm: async () => false },
      ),
      0,
    );
    assert.match(forced.text(), /TAKEN OVER \(--force\): amplify-lp-dev-least-privilege/);
    const [taken] = await ourPolicies(user.iam);
    assert.deepEqual(taken.versions, ['v1', 'v2']);
    assert.ok(JSON.stringify(taken.document).includes('function:a-dev'));
    const tags = (await user.iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags ?? [];
    assert.deepEqual(tags, [{ Key: 'amplify-least-privilege', Value: 'lp/dev' }]);
    assert.deepEqual(await attachedNames(user.iam, user.name), [BASE]);
    // Ours now: the next run changes it without --force.
    assert.equal(await attachAs(user, await generate(functionResource('b'))), 0);
  });

  it('a policy changed in IAM since attach wrote it is detected (the state records what was written)', async () => {
    const user = await createUser(moto.endpoint);
    const project = writeCraftedProject({ resources: functionResource('a') });
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: user.keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.keys.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const first = runBin(['attach', '--project-dir', project, '--yes'], undefined, env);
    assert.equal(first.status, 0, first.stderr);
    const state = JSON.parse(
      fs.readFileSync(path.join(project, 'amplify/least-privilege/state-dev.json'), 'utf8'),
    );
    const [policy] = await ourPolicies(user.iam);
    assert.ok(state.iamDocuments[policy.arn], 'the state records the hash of what attach wrote');
    // Someone edits the policy in the console: a new default version.
    await user.iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: policy.arn,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }],
        }),
        SetAsDefault: true,
      }),
    );
    // The project changes; attach would add a version over the hand edit.
    const changed = writeCraftedProject({
      resources: { ...functionResource('a'), ...functionResource('b') },
    });
    fs.cpSync(path.join(changed, 'amplify/backend'), path.join(project, 'amplify/backend'), {
      recursive: true,
    });
    const refused = runBin(['attach', '--project-dir', project, '--yes'], undefined, env);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /NOT CHANGED without --force: amplify-lp-dev-least-privilege/);
    assert.match(refused.stderr, /changed in IAM since attach last wrote it/);
    assert.match(refused.stderr, /- +"Action": "lambda:\*"/);
    assert.deepEqual((await ourPolicies(user.iam))[0].versions, ['v1', 'v2'], 'nothing changed');
    const forced = runBin(['attach', '--project-dir', project, '--yes', '--force'], undefined, env);
    assert.equal(forced.status, 0, forced.stderr);
    assert.ok(JSON.stringify((await ourPolicies(user.iam))[0].document).includes('function:b-dev'));
  });

  it('AccessDenied prints the bootstrap policy with the real partition and account', async () => {
    const user = await createUser(moto.endpoint);
    const result = await generate(functionResource('a'));
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: user.keys });
    mockClient(iam)
      .on(ListAttachedUserPoliciesCommand)
      .rejects(
        Object.assign(new Error('User: x is not authorized to perform: iam:ListAttachedUserPolicies'), {
          name: 'AccessDenied',
        }),
      );
    await assert.rejects(
      runAttach(
        result,
        { yes: true, dryRun: false },
        { iam, sts: user.sts, io: io(), confirm: async () => false },
      ),
      (err: unknown) => {
        const resolution = (err as { resolution: string }).resolution;
        return (
          resolution.includes('"arn:aws:iam::123456789012:policy/amplify-least-privilege/*"') &&
          !resolution.includes('ACCOUNT_ID')
        );
      },
    );
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

  it('generate --attach ends with what it attached, never with how to create the policies by hand', async () => {
    const user = await createUser(moto.endpoint);
    const project = writeCraftedProject({ resources: functionResource('a') });
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: user.keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.keys.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const attached = runBin(['generate', '--attach', '--yes', '--project-dir', project], undefined, env);
    assert.equal(attached.status, 0, attached.stderr);
    assert.doesNotMatch(attached.stderr, /create-policy|or use --attach/);
    assert.equal(
      attached.stderr.trimEnd().split('\n').pop(),
      `Done: 2 change(s) applied; user ${user.name} now has ${BASE} attached.`,
    );
    assert.deepEqual(await attachedNames(user.iam, user.name), [BASE]);
    // Without --attach the hint is the way to create them by hand.
    const generated = runBin(['generate', '--project-dir', project]);
    assert.equal(generated.status, 0, generated.stderr);
    assert.match(generated.stderr, /Create each with: aws iam create-policy .* \(or use --attach\)\n$/);
  });
});
