/**
 * `learn --stack-events`: the denials in the last operation of the env's root stack and of the
 * nested stacks that failed in it (DescribeStackEvents). Loaded only by that option: this module
 * loads the AWS SDK.
 */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  type CloudFormationClientConfig,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { fromIni } from '@aws-sdk/credential-providers';
import type { CommandEnv } from '../invocation';
import { LeastPrivilegeError } from '../errors';
import { parseDenials, type Denial } from './parse-denial';

/** Pages of 100 events read per stack, at most; the last operation is near the top. */
const MAX_PAGES = 10;
/** Nested stacks followed, at most this deep. */
const MAX_DEPTH = 4;
const STARTS = new Set([
  'CREATE_IN_PROGRESS',
  'UPDATE_IN_PROGRESS',
  'DELETE_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
]);
const FAILED = /_FAILED$/;

/** The client: the one handed in (tests), else the host CLI's credentials, --profile, or the default chain. */
export async function cloudFormationFor(
  env: CommandEnv,
  profile: string | undefined,
  region: string | undefined,
): Promise<CloudFormationClient> {
  if (env.awsClients?.cloudFormation) return env.awsClients.cloudFormation;
  const access = env.awsAccess && !profile ? await env.awsAccess() : {};
  const credentials = (access.credentials ?? (profile ? fromIni({ profile }) : undefined)) as
    CloudFormationClientConfig['credentials'] | undefined;
  return new CloudFormationClient({
    region: access.region ?? region ?? 'us-east-1',
    maxAttempts: 6,
    ...(credentials ? { credentials } : {}),
  });
}

/** The failed events of the stack's last operation, and of the nested stacks that failed in it. */
export async function failedEvents(
  cfn: CloudFormationClient,
  stack: string,
  depth = 0,
): Promise<StackEvent[]> {
  const events = await lastOperation(cfn, stack);
  const failed = events.filter((e) => FAILED.test(e.ResourceStatus ?? ''));
  const nested = failed.filter(
    (e) =>
      e.ResourceType === 'AWS::CloudFormation::Stack' &&
      e.PhysicalResourceId?.startsWith('arn:') &&
      e.PhysicalResourceId !== e.StackId,
  );
  const deeper =
    depth < MAX_DEPTH
      ? await Promise.all(nested.map((e) => failedEvents(cfn, e.PhysicalResourceId as string, depth + 1)))
      : [];
  return [...failed, ...deeper.flat()];
}

/** Events newest first, back to the event that started the stack's last operation. */
async function lastOperation(cfn: CloudFormationClient, stack: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let output;
    try {
      output = await cfn.send(new DescribeStackEventsCommand({ StackName: stack, NextToken: token }));
    } catch (err) {
      throw new LeastPrivilegeError(
        'aws',
        `Cannot read the events of stack ${stack}: ${(err as Error).message}`,
        "learn --stack-events needs cloudformation:DescribeStackEvents on the env's stacks (the generated policy has it); or paste the error with --message.",
        err,
      );
    }
    for (const event of output.StackEvents ?? []) {
      events.push(event);
      if (event.LogicalResourceId === event.StackName && STARTS.has(event.ResourceStatus ?? ''))
        return events;
    }
    token = output.NextToken;
    if (!token) break;
  }
  return events;
}

/** The denials the failed events' reasons hold, each with the event's resource and stack. */
export function denialsInEvents(events: readonly StackEvent[]): Denial[] {
  return events.flatMap((event) =>
    parseDenials(event.ResourceStatusReason ?? '').map((denial) => ({
      ...denial,
      failingResource: {
        logicalId: event.LogicalResourceId ?? '',
        ...(event.ResourceType ? { type: event.ResourceType } : {}),
        ...(event.StackName ? { stack: event.StackName } : {}),
      },
    })),
  );
}
