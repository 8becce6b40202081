import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runCommand } from '../../commands';
import { copyToTemp, REPO_ROOT } from '../support/paths';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const ROOT = 'amplify-lpdemo-dev-12345';
const ROOT_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${ROOT}/00000000-0000-0000-0000-000000000000`;
const FUNCTION_STACK = `${ROOT}-functionlpfn-1ABCDEF`;
const FUNCTION_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${FUNCTION_STACK}/11111111-1111-1111-1111-111111111111`;
const STORAGE_STACK = `${ROOT}-storagelpstorage-2GHIJKL`;
const STORAGE_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STORAGE_STACK}/22222222-2222-2222-2222-222222222222`;

const event = (stack: string, stackId: string, fields: Partial<StackEvent>): StackEvent => ({
  StackName: stack,
  StackId: stackId,
  EventId: `${fields.LogicalResourceId}-${fields.ResourceStatus}`,
  Timestamp: new Date('2026-01-01T00:00:00Z'),
  ...fields,
});

/**
 * The events of a push that failed in two nested stacks, newest first. The reasons have the
 * real forms of denial-samples.json (cfn-handler-lambda-tag, legacy-api-event-row) with the
 * names of examples/lpdemo. An earlier operation's failure (below the "User Initiated" start)
 * must not be read.
 */
const ROOT_EVENTS: StackEvent[] = [
  event(ROOT, ROOT_ID, {
    LogicalResourceId: ROOT,
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_ROLLBACK_COMPLETE',
  }),
  event(ROOT, ROOT_ID, {
    LogicalResourceId: 'functionlpfn',
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_FAILED',
    PhysicalResourceId: FUNCTION_ID,
    ResourceStatusReason:
      'Embedded stack was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to update: [LambdaFunction].',
  }),
  event(ROOT, ROOT_ID, {
    LogicalResourceId: 'storagelpstorage',
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_FAILED',
    PhysicalResourceId: STORAGE_ID,
    ResourceStatusReason: 'Embedded stack was not successfully updated.',
  }),
  event(ROOT, ROOT_ID, {
    LogicalResourceId: ROOT,
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_IN_PROGRESS',
    ResourceStatusReason: 'User Initiated',
  }),
  event(ROOT, ROOT_ID, {
    LogicalResourceId: 'DeploymentBucket',
    ResourceType: 'AWS::S3::Bucket',
    ResourceStatus: 'UPDATE_FAILED',
    ResourceStatusReason: 'API: s3:PutBucketTagging Access Denied',
  }),
];
const FUNCTION_EVENTS: StackEvent[] = [
  event(FUNCTION_STACK, FUNCTION_ID, {
    LogicalResourceId: 'LambdaFunction',
    ResourceType: 'AWS::Lambda::Function',
    ResourceStatus: 'UPDATE_FAILED',
    PhysicalResourceId: 'lpfn-dev',
    ResourceStatusReason:
      'Resource handler returned message: "User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: lambda:TagResource on resource: arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev because no identity-based policy allows the lambda:TagResource action (Service: Lambda, Status Code: 403, Request ID: 3c1a0f6e-0000-4000-8000-000000000000)" (RequestToken: 5d2b0000-0000-4000-8000-000000000000, HandlerErrorCode: AccessDenied)',
  }),
  event(FUNCTION_STACK, FUNCTION_ID, {
    LogicalResourceId: FUNCTION_STACK,
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_IN_PROGRESS',
  }),
];
const STORAGE_EVENTS: StackEvent[] = [
  event(STORAGE_STACK, STORAGE_ID, {
    LogicalResourceId: 'S3Bucket',
    ResourceType: 'AWS::S3::Bucket',
    ResourceStatus: 'UPDATE_FAILED',
    ResourceStatusReason: 'API: s3:PutPublicAccessBlock Access Denied',
  }),
  event(STORAGE_STACK, STORAGE_ID, {
    LogicalResourceId: STORAGE_STACK,
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: 'UPDATE_IN_PROGRESS',
  }),
];

function mockedCloudFormation(): { client: CloudFormationClient; mock: ReturnType<typeof mockClient> } {
  const client = new CloudFormationClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const mock = mockClient(client);
  // The root stack's events come in two pages.
  mock
    .on(DescribeStackEventsCommand, { StackName: ROOT, NextToken: undefined })
    .resolves({ StackEvents: ROOT_EVENTS.slice(0, 2), NextToken: 'page-2' })
    .on(DescribeStackEventsCommand, { StackName: ROOT, NextToken: 'page-2' })
    .resolves({ StackEvents: ROOT_EVENTS.slice(2) })
    .on(DescribeStackEventsCommand, { StackName: FUNCTION_ID })
    .resolves({ StackEvents: FUNCTION_EVENTS })
    .on(DescribeStackEventsCommand, { StackName: STORAGE_ID })
    .resolves({ StackEvents: STORAGE_EVENTS });
  return { client, mock };
}

async function learnFromEvents(
  project: string,
  cloudFormation: CloudFormationClient,
  extra: Record<string, string | boolean> = {},
) {
  let out = '';
  let err = '';
  const code = await runCommand(
    {
      command: 'learn',
      args: [],
      options: { 'project-dir': project, 'stack-events': true, yes: true, ...extra },
    },
    {
      io: { out: (t) => void (out += t), err: (t) => void (err += t) },
      cwd: project,
      awsClients: {
        iam: new IAMClient({ region: 'us-east-1' }),
        sts: new STSClient({ region: 'us-east-1' }),
        cloudFormation,
      },
    },
    'amplify-least-privilege',
  );
  return { code, out, err };
}

describe('command: learn --stack-events (DescribeStackEvents mocked on the client instance)', function () {
  this.timeout(60_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(LPDEMO);
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('reads the denials of the last operation of the root stack and of the nested stacks that failed, and records them', async () => {
    const { client, mock } = mockedCloudFormation();
    const run = await learnFromEvents(project, client);
    assert.equal(run.code, 0, run.err);
    const asked = mock.commandCalls(DescribeStackEventsCommand).map((c) => c.args[0].input.StackName);
    assert.deepEqual([...new Set(asked)].sort(), [FUNCTION_ID, ROOT, STORAGE_ID].sort());
    const overrides = JSON.parse(
      fs.readFileSync(path.join(project, 'amplify/least-privilege/overrides.json'), 'utf8'),
    );
    const recorded = overrides.grants.map(
      (g: { actions: string[]; resources: string[]; learned: { from: string; failingResource: string } }) => [
        g.actions,
        g.resources,
        g.learned.from,
        g.learned.failingResource,
      ],
    );
    assert.deepEqual(recorded, [
      [
        ['lambda:TagResource'],
        ['arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev'],
        'stack-events',
        'LambdaFunction (AWS::Lambda::Function)',
      ],
      [
        ['s3:PutBucketPublicAccessBlock'],
        ['arn:aws:s3:::lpbucket1234512345-dev'],
        'stack-events',
        'S3Bucket (AWS::S3::Bucket)',
      ],
    ]);
    // The earlier operation's failure (s3:PutBucketTagging on the deployment bucket) is not learned.
    assert.doesNotMatch(JSON.stringify(overrides), /PutBucketTagging/);
  });

  it('says so when the failed events hold no access denial, and shows a failed call as an AWS error', async () => {
    const client = new CloudFormationClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    mockClient(client)
      .on(DescribeStackEventsCommand)
      .resolves({ StackEvents: [ROOT_EVENTS[0], ROOT_EVENTS[3]] });
    await assert.rejects(
      learnFromEvents(project, client),
      /No access denial in the failed events of the last operation of stack amplify-lpdemo-dev-12345/,
    );
    const denied = new CloudFormationClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    mockClient(denied)
      .on(DescribeStackEventsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: cloudformation:DescribeStackEvents',
          ),
          { name: 'AccessDenied' },
        ),
      );
    await assert.rejects(
      learnFromEvents(project, denied),
      (err: Error & { kind?: string; resolution?: string }) => {
        assert.equal(err.kind, 'aws');
        assert.match(err.message, /Cannot read the events of stack amplify-lpdemo-dev-12345/);
        assert.match(err.resolution ?? '', /cloudformation:DescribeStackEvents/);
        return true;
      },
    );
  });

  it('loads the AWS SDK only for --stack-events', () => {
    const script = `
      const { runCommand } = require(${JSON.stringify(path.join(REPO_ROOT, 'lib', 'commands', 'index.js'))});
      const io = { out() {}, err() {} };
      runCommand({ command: 'learn', args: [], options: { 'project-dir': ${JSON.stringify(project)}, yes: true,
        message: 'CREATE_FAILED DeploymentBucket AWS::S3::Bucket API: s3:PutPublicAccessBlock Access Denied' } },
        { io, cwd: ${JSON.stringify(project)} }, 'x').then((code) => {
          const sdk = Object.keys(require.cache).filter((f) => f.includes('@aws-sdk'));
          process.stdout.write(JSON.stringify({ code, sdk: sdk.length }));
        });`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(result.stdout), { code: 0, sdk: 0 }, result.stderr);
  });
});
