/**
 * The AWS SDK clients for attach. This module (and the SDK) is loaded only by the commands that
 * talk to AWS, never by generate or the pre-push path. Endpoints follow the SDK's standard
 * settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS): that is how tests
 * reach a local IAM.
 */

import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';

/** Where the credentials come from: the Amplify CLI's own (loadConfiguration), a named profile, or the default chain. */
export interface AwsAccess {
  readonly credentials?: IAMClientConfig['credentials'];
  readonly profile?: string;
  readonly region?: string;
}

export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** learn --stack-events (tests hand in a mocked instance). */
  readonly cloudFormation?: CloudFormationClient;
}

/** What a command's environment offers for AWS (src/invocation.ts CommandEnv has these). */
export interface AwsHost {
  /** The host CLI's credentials and region for the project (inside the Amplify CLI only). */
  readonly awsAccess?: () => Promise<{ credentials?: unknown; region?: string }>;
  /** AWS clients to use instead of creating them (tests hand in mocked instances). */
  readonly awsClients?: AwsClients;
}

/** Throttling and transient failures are retried by the SDK's standard retry strategy. */
const MAX_ATTEMPTS = 6;

export function createClients(access: AwsAccess): AwsClients {
  const credentials =
    access.credentials ?? (access.profile ? fromIni({ profile: access.profile }) : undefined);
  const config = {
    region: access.region ?? 'us-east-1',
    maxAttempts: MAX_ATTEMPTS,
    ...(credentials ? { credentials } : {}),
  };
  return { iam: new IAMClient(config), sts: new STSClient(config) };
}

/**
 * The clients a command uses: the ones handed in (tests); else the host CLI's credentials for
 * the project (inside Amplify, unless --profile), or --profile, or the default chain. The region
 * is the credentials' own, else the project's.
 */
export async function clientsFor(
  env: AwsHost,
  profile: string | undefined,
  projectRegion: string | undefined,
): Promise<AwsClients> {
  if (env.awsClients) return env.awsClients;
  // The host hands over SDK v3 credentials (loadConfiguration); they are passed on as they are.
  const access: AwsAccess = env.awsAccess && !profile ? ((await env.awsAccess()) as AwsAccess) : { profile };
  return createClients({ ...access, region: access.region ?? projectRegion });
}
