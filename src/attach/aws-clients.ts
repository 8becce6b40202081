/**
 * The AWS SDK clients for attach. This module (and the SDK) is loaded only by the commands that
 * talk to AWS, never by generate or the pre-push path. Endpoints follow the SDK's standard
 * settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS): that is how tests
 * reach a local IAM.
 */

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
