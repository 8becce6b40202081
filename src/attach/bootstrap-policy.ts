import { POLICY_PATH } from './plan';

/**
 * The permissions the person running `attach` needs, as a ready policy: manage (and tag) policies
 * under our path, attach only those to users, roles or groups, and read the account summary for
 * the attachment quota. An administrator attaches it once (README, "Permissions for attach").
 * The real account and partition when known; else `ACCOUNT_ID`, which IAM refuses until replaced
 * (a `*` there would grant the same in every account).
 */
export function attachPermissionsPolicy(account = 'ACCOUNT_ID', partition = 'aws'): Record<string, unknown> {
  const ourPolicies = `arn:${partition}:iam::${account}:policy${POLICY_PATH}*`;
  const identities = ['user', 'role', 'group'].map((kind) => `arn:${partition}:iam::${account}:${kind}/*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ManageLeastPrivilegePolicies',
        Effect: 'Allow',
        Action: [
          'iam:CreatePolicy',
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:GetPolicy',
          'iam:GetPolicyVersion',
          'iam:ListPolicyVersions',
          'iam:TagPolicy',
        ],
        Resource: ourPolicies,
      },
      {
        Sid: 'AttachOnlyThem',
        Effect: 'Allow',
        Action: [
          'iam:AttachGroupPolicy',
          'iam:AttachRolePolicy',
          'iam:AttachUserPolicy',
          'iam:DetachGroupPolicy',
          'iam:DetachRolePolicy',
          'iam:DetachUserPolicy',
        ],
        Resource: identities,
        Condition: { ArnLike: { 'iam:PolicyARN': ourPolicies } },
      },
      {
        Sid: 'ReadAttachments',
        Effect: 'Allow',
        Action: [
          'iam:ListAttachedGroupPolicies',
          'iam:ListAttachedRolePolicies',
          'iam:ListAttachedUserPolicies',
        ],
        Resource: identities,
      },
      {
        Sid: 'ListAndQuota',
        Effect: 'Allow',
        Action: ['iam:GetAccountSummary', 'iam:ListPolicies'],
        Resource: '*',
      },
    ],
  };
}
