import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  TagPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { PolicyDocument } from '../model';
import { renderDocument } from '../policy/render';
import type { AttachTarget } from './identity';
import { OWNER_TAG_KEY, POLICY_PATH, type ExistingPolicy, type IamState } from './plan';
import { isAccessDenied } from '../aws/access-denied';

/** IAM's default for managed policies per user, role or group when the account summary cannot be read. */
const DEFAULT_ATTACHED_QUOTA = 10;

/**
 * Reads our policies, the target's attachments and its quota. `isOurs` tells our names from
 * others under the path. Without a target (policies that are only created and updated) no
 * attachment nor quota is read.
 */
export async function readIamState(
  iam: IAMClient,
  target: AttachTarget | undefined,
  isOurs: (name: string) => boolean,
): Promise<IamState & { quotaKnown: boolean }> {
  const attached = target ? await attachedPolicies(iam, target) : [];
  const attachedArns = new Set(attached.map((p) => p.PolicyArn));
  const ours: ExistingPolicy[] = [];
  for (const policy of await policiesUnderPath(iam)) {
    if (!policy.PolicyName || !policy.Arn || !isOurs(policy.PolicyName)) continue;
    ours.push(await existingPolicy(iam, policy.PolicyName, policy.Arn, attachedArns.has(policy.Arn)));
  }
  const { quota, known } = target
    ? await attachedQuota(iam, target)
    : { quota: DEFAULT_ATTACHED_QUOTA, known: true };
  return {
    ...(target ? { target } : {}),
    ours,
    attachedCount: attached.length,
    attachedQuota: quota,
    quotaKnown: known,
  };
}

async function policiesUnderPath(iam: IAMClient): Promise<Array<{ PolicyName?: string; Arn?: string }>> {
  const policies: Array<{ PolicyName?: string; Arn?: string }> = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', PathPrefix: POLICY_PATH, Marker: marker }),
    );
    policies.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return policies;
}

async function existingPolicy(
  iam: IAMClient,
  name: string,
  arn: string,
  attached: boolean,
): Promise<ExistingPolicy> {
  const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
  const version = (
    await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy?.DefaultVersionId }))
  ).PolicyVersion;
  const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
  const ownerTag = policy?.Tags?.find((tag) => tag.Key === OWNER_TAG_KEY)?.Value;
  return {
    name,
    arn,
    attached,
    ...(ownerTag !== undefined ? { ownerTag } : {}),
    attachmentCount: policy?.AttachmentCount ?? 0,
    document: parseDocument(version?.Document),
    versions: versions.map((v) => ({
      id: v.VersionId ?? '',
      isDefault: v.IsDefaultVersion === true,
      created: v.CreateDate?.toISOString() ?? '',
    })),
  };
}

/** IAM returns documents URL-encoded (RFC 3986); local endpoints may not. */
export function parseDocument(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(decodeURIComponent(text));
  }
}

async function attachedPolicies(
  iam: IAMClient,
  target: AttachTarget,
): Promise<Array<{ PolicyArn?: string }>> {
  const policies: Array<{ PolicyArn?: string }> = [];
  let marker: string | undefined;
  do {
    const page =
      target.kind === 'user'
        ? await iam.send(new ListAttachedUserPoliciesCommand({ UserName: target.name, Marker: marker }))
        : target.kind === 'role'
          ? await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: target.name, Marker: marker }))
          : await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: target.name, Marker: marker }));
    policies.push(...(page.AttachedPolicies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return policies;
}

const QUOTA_KEYS = {
  user: 'AttachedPoliciesPerUserQuota',
  role: 'AttachedPoliciesPerRoleQuota',
  group: 'AttachedPoliciesPerGroupQuota',
} as const;

/** The attachment quota from the account summary; IAM's default when it may not be read. */
async function attachedQuota(
  iam: IAMClient,
  target: AttachTarget,
): Promise<{ quota: number; known: boolean }> {
  try {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    const quota = summary[QUOTA_KEYS[target.kind]];
    return typeof quota === 'number'
      ? { quota, known: true }
      : { quota: DEFAULT_ATTACHED_QUOTA, known: false };
  } catch (err) {
    if (isAccessDenied(err)) return { quota: DEFAULT_ATTACHED_QUOTA, known: false };
    throw err;
  }
}

const text = (document: PolicyDocument): string => JSON.stringify(renderDocument(document));

/** Creates the policy under our path, tagged as this project's and env's (`ownerTag`). */
export async function createPolicy(
  iam: IAMClient,
  name: string,
  document: PolicyDocument,
  description: string,
  ownerTag: string,
): Promise<string> {
  const created = await iam.send(
    new CreatePolicyCommand({
      PolicyName: name,
      Path: POLICY_PATH,
      PolicyDocument: text(document),
      Description: description,
      Tags: [{ Key: OWNER_TAG_KEY, Value: ownerTag }],
    }),
  );
  return created.Policy?.Arn ?? '';
}

/** Marks a policy taken over with --force as ours. */
export async function tagPolicy(iam: IAMClient, arn: string, ownerTag: string): Promise<void> {
  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: OWNER_TAG_KEY, Value: ownerTag }] }));
}

export async function createDefaultVersion(
  iam: IAMClient,
  arn: string,
  document: PolicyDocument,
): Promise<void> {
  await iam.send(
    new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: text(document), SetAsDefault: true }),
  );
}

export async function deleteVersion(iam: IAMClient, arn: string, versionId: string): Promise<void> {
  await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
}

export async function attach(iam: IAMClient, target: AttachTarget, arn: string): Promise<void> {
  if (target.kind === 'user')
    await iam.send(new AttachUserPolicyCommand({ UserName: target.name, PolicyArn: arn }));
  else if (target.kind === 'role')
    await iam.send(new AttachRolePolicyCommand({ RoleName: target.name, PolicyArn: arn }));
  else await iam.send(new AttachGroupPolicyCommand({ GroupName: target.name, PolicyArn: arn }));
}

export async function detach(iam: IAMClient, target: AttachTarget, arn: string): Promise<void> {
  if (target.kind === 'user')
    await iam.send(new DetachUserPolicyCommand({ UserName: target.name, PolicyArn: arn }));
  else if (target.kind === 'role')
    await iam.send(new DetachRolePolicyCommand({ RoleName: target.name, PolicyArn: arn }));
  else await iam.send(new DetachGroupPolicyCommand({ GroupName: target.name, PolicyArn: arn }));
}

/** A managed policy can be deleted only without its non-default versions. */
export async function deletePolicy(
  iam: IAMClient,
  arn: string,
  versionIds: readonly string[],
): Promise<void> {
  for (const versionId of versionIds) await deleteVersion(iam, arn, versionId);
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
}
