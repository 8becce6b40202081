import * as assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createClients } from '../../src/aws/clients';
import { runAttach } from '../../src/attach/run-attach';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { LeastPrivilegeError } from '../../src/errors';
import type { CommandIo } from '../../src/invocation';
import { writeCraftedProject } from '../support/crafted-project';
import { attachedNames, createUser, ourPolicies, type MotoUser } from '../support/iam-fixture';
import { startMoto, type Moto } from '../support/moto';
import { startThrottlingProxy } from '../support/throttling-proxy';

/**
 * Faults moto cannot produce, injected with aws-sdk-client-mock on the client instance: every
 * command the code sends goes to moto (through a second, unmocked client), except the one a
 * test makes fail. State that a failure leaves behind is real, and so is the repairing re-run.
 */
const COMMANDS = [
  ListPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  CreatePolicyCommand,
  AttachUserPolicyCommand,
] as const;

const accessDenied = (action: string): Error =>
  Object.assign(
    new Error(
      `User: arn:aws:iam::123456789012:user/d is not authorized to perform: ${action} on resource: arn:aws:iam::123456789012:policy/x`,
    ),
    {
      name: 'AccessDenied',
    },
  );

const quiet: CommandIo = { out: () => undefined, err: () => undefined };

describe('attach faults (aws-sdk-client-mock on the client instance, moto behind it)', function () {
  this.timeout(120_000);
  let moto: Moto;
  let result: GenerateResult;
  before(async () => {
    moto = await startMoto();
    result = await generatePolicies({
      projectDir: writeCraftedProject({
        resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn' } } },
      }),
    });
  });
  after(() => moto?.stop());
  beforeEach(() => fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' }));

  /** A mocked client whose commands reach moto, but for `failing`, which first rejects with `error`. */
  function faultyIam(
    user: MotoUser,
    failing?: (typeof COMMANDS)[number],
    error?: Error,
  ): IAMClient & { mock: ReturnType<typeof mockClient> } {
    const client = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: user.keys });
    const mock = mockClient(client);
    for (const Command of COMMANDS) {
      const forward = (input: object) =>
        user.iam.send(new (Command as new (input: object) => Parameters<IAMClient['send']>[0])(input));
      const behaviour = mock.on(Command as never);
      if (Command === failing && error) behaviour.rejectsOnce(error).callsFake(forward);
      else behaviour.callsFake(forward);
    }
    return Object.assign(client, { mock });
  }

  for (const [Command, action] of [
    [ListPoliciesCommand, 'iam:ListPolicies'],
    [ListAttachedUserPoliciesCommand, 'iam:ListAttachedUserPolicies'],
    [CreatePolicyCommand, 'iam:CreatePolicy'],
    [AttachUserPolicyCommand, 'iam:AttachUserPolicy'],
  ] as const) {
    it(`AccessDenied on ${action} names the missing permission and prints the bootstrap policy`, async () => {
      const user = await createUser(moto.endpoint);
      const iam = faultyIam(user, Command, accessDenied(action));
      await assert.rejects(
        runAttach(
          result,
          { yes: true, dryRun: false },
          { iam, sts: user.sts, io: quiet, confirm: async () => true },
        ),
        (err: unknown) =>
          err instanceof LeastPrivilegeError &&
          err.kind === 'aws' &&
          err.message.includes(`IAM denied ${action}`) &&
          err.resolution.includes('"iam:CreatePolicyVersion"') &&
          err.resolution.includes('/amplify-least-privilege/*'),
      );
    });
  }

  it('a failure between create and attach leaves a state the next run repairs', async () => {
    const user = await createUser(moto.endpoint);
    const failing = faultyIam(
      user,
      AttachUserPolicyCommand,
      Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }),
    );
    await assert.rejects(
      runAttach(
        result,
        { yes: true, dryRun: false },
        { iam: failing, sts: user.sts, io: quiet, confirm: async () => true },
      ),
      /Cannot reach AWS while attach amplify-lp-dev-least-privilege \(step 2 of 2; run attach again to finish\)/,
    );
    assert.equal((await ourPolicies(user.iam)).length, 1, 'the policy was created');
    assert.deepEqual(await attachedNames(user.iam, user.name), [], 'but not attached');
    let text = '';
    const repaired = await runAttach(
      result,
      { yes: true, dryRun: false },
      {
        iam: user.iam,
        sts: user.sts,
        io: { out: () => undefined, err: (t) => void (text += t) },
        confirm: async () => true,
      },
    );
    assert.equal(repaired, 0);
    assert.doesNotMatch(text, /create policy/, 'the re-run does not create it again');
    assert.deepEqual(await attachedNames(user.iam, user.name), ['amplify-lp-dev-least-privilege']);
    assert.equal((await ourPolicies(user.iam))[0].versions.length, 1);
  });

  it('refuses before changing anything when the attachment quota would be exceeded', async () => {
    const user = await createUser(moto.endpoint);
    const client = faultyIam(user);
    client.mock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AttachedPoliciesPerUserQuota: 0 } });
    await assert.rejects(
      runAttach(
        result,
        { yes: true, dryRun: false },
        { iam: client, sts: user.sts, io: quiet, confirm: async () => true },
      ),
      (err: unknown) =>
        err instanceof LeastPrivilegeError &&
        err.kind === 'limit' &&
        /quota is 0\. Nothing was changed/.test(err.message),
    );
    assert.deepEqual(await ourPolicies(user.iam), []);
  });

  it('throttling is retried by the SDK (a real endpoint that throttles, set with AWS_ENDPOINT_URL_IAM)', async () => {
    const user = await createUser(moto.endpoint);
    const proxy = await startThrottlingProxy(moto.endpoint, 'ListPolicies', 2);
    const saved = process.env.AWS_ENDPOINT_URL_IAM;
    process.env.AWS_ENDPOINT_URL_IAM = proxy.endpoint;
    try {
      const { iam } = createClients({ credentials: user.keys, region: 'us-east-1' });
      assert.equal(
        await runAttach(
          result,
          { yes: true, dryRun: false },
          { iam, sts: user.sts, io: quiet, confirm: async () => true },
        ),
        0,
      );
      assert.equal(proxy.seen(), 3, 'two throttled calls, then the one that passed');
      assert.deepEqual(await attachedNames(user.iam, user.name), ['amplify-lp-dev-least-privilege']);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_IAM;
      else process.env.AWS_ENDPOINT_URL_IAM = saved;
      await proxy.close();
    }
  });

  it('an IAM Identity Center session gets the policies printed for its permission set, and nothing changes', async () => {
    const user = await createUser(moto.endpoint);
    const sts = new STSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: user.keys });
    mockClient(sts).on(GetCallerIdentityCommand).resolves({
      Arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AmplifyDevs_0123456789abcdef/alice',
      Account: '123456789012',
    });
    let printed = '';
    await assert.rejects(
      runAttach(
        result,
        { yes: true, dryRun: false },
        {
          iam: user.iam,
          sts,
          io: { out: (t) => void (printed += t), err: () => undefined },
          confirm: async () => true,
        },
      ),
      (err: unknown) => err instanceof LeastPrivilegeError && /permission set AmplifyDevs/.test(err.message),
    );
    assert.match(printed, /# amplify-lp-dev-least-privilege\n\{\n {2}"Version": "2012-10-17"/);
    assert.deepEqual(await ourPolicies(user.iam), []);
  });
});
