import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { parseDocument } from '../../src/attach/iam-api';

/** A fresh IAM user in moto with its own keys, and clients that act as that user. */
export interface MotoUser {
  readonly name: string;
  readonly keys: { accessKeyId: string; secretAccessKey: string };
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

let counter = 0;

export async function createUser(endpoint: string): Promise<MotoUser> {
  const admin = new IAMClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'admin', secretAccessKey: 'admin' },
  });
  const name = `deployer${++counter}-${process.pid}`;
  await admin.send(new CreateUserCommand({ UserName: name }));
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
  const keys = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  const config = { region: 'us-east-1', endpoint, credentials: keys };
  return { name, keys, iam: new IAMClient(config), sts: new STSClient(config) };
}

/** Names of the managed policies attached to the user. */
export async function attachedNames(iam: IAMClient, user: string): Promise<string[]> {
  const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }));
  return (attached.AttachedPolicies ?? []).map((p) => p.PolicyName ?? '').sort();
}

/** Our policies under the path, with their version ids and default document. */
export async function ourPolicies(
  iam: IAMClient,
): Promise<Array<{ name: string; arn: string; versions: string[]; document: unknown }>> {
  const listed =
    (await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/amplify-least-privilege/' })))
      .Policies ?? [];
  return Promise.all(
    listed.map(async (p) => {
      const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: p.Arn }))).Versions ?? [];
      const version = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId }),
      );
      return {
        name: p.PolicyName ?? '',
        arn: p.Arn ?? '',
        versions: versions.map((v) => v.VersionId ?? '').sort(),
        document: parseDocument(version.PolicyVersion?.Document),
      };
    }),
  );
}

/** A policy that is not ours (another path), attached to the user. */
export async function attachForeignPolicy(iam: IAMClient, user: string, name: string): Promise<string> {
  const arn =
    (
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
          }),
        }),
      )
    ).Policy?.Arn ?? '';
  await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: arn }));
  return arn;
}
