import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { renderDocument } from '../../src/policy/render';
import { writeCraftedProject } from '../support/crafted-project';
import { REPO_ROOT } from '../support/paths';
import { deniedRequests, VIA_CLOUDFORMATION } from '../support/simulate';
import { needs } from '../support/grants';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const BOUNDARY = 'arn:aws:iam::123456789012:policy/AmplifyBoundary';
const granted = (result: GenerateResult): Set<string> =>
  new Set(result.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Action)));
/** A StringEquals condition value (statements keep values as lists until rendering). */
const equalsValue = (
  s: { Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> },
  key: string,
) => {
  const value = s.Condition?.StringEquals?.[key];
  return value === undefined ? undefined : [value].flat()[0];
};
const statementsWith = (result: GenerateResult, action: string) =>
  result.policies.flatMap((p) => p.document.Statement).filter((s) => s.Action.includes(action));

describe('phases: optional phases stay out unless asked for', function () {
  this.timeout(60_000);
  it('push deletes only stateless resources, through CloudFormation; --phases delete adds the rest', async () => {
    const result = await generatePolicies({ projectDir: LPDEMO });
    const push = granted(result);
    for (const action of [
      's3:DeleteBucket',
      'amplify:DeleteApp',
      'dynamodb:DeleteTable',
      'cognito-idp:DeleteUserPool',
      'cognito-identity:DeleteIdentityPool',
    ]) {
      assert.ok(!push.has(action), `push has no ${action}`);
    }
    // Stateless deletes (remove, replace, roll back) are there, conditioned on CloudFormation.
    for (const action of ['lambda:DeleteFunction', 'iam:DeleteRole', 'appsync:DeleteResolver']) {
      const statements = statementsWith(result, action);
      assert.ok(statements.length > 0, `push has ${action}`);
      for (const s of statements)
        assert.deepEqual(
          s.Condition?.['ForAnyValue:StringEquals']?.['aws:CalledVia'],
          ['cloudformation.amazonaws.com'],
          `${action} only through CloudFormation`,
        );
    }
    // Nested stacks only: the root stack is deleted by `amplify delete` (phase delete).
    const rootStack = /stack\/amplify-lpdemo-dev-12345\/\*$/;
    for (const s of statementsWith(result, 'cloudformation:DeleteStack'))
      assert.ok(
        !s.Resource.some((r) => rootStack.test(r)),
        `push cannot delete the root stack: ${s.Resource}`,
      );
    const stateful = result.trimmed.filter((t) => t.action === 'dynamodb:DeleteTable');
    assert.ok(stateful.length > 0 && stateful.every((t) => /destroys data/.test(t.reason)));

    const withDelete = granted(await generatePolicies({ projectDir: LPDEMO, phases: ['push', 'delete'] }));
    for (const action of [
      'cloudformation:DeleteStack',
      's3:DeleteBucket',
      'amplify:DeleteApp',
      'lambda:DeleteFunction',
      'dynamodb:DeleteTable',
      'cognito-idp:DeleteUserPool',
    ]) {
      assert.ok(withDelete.has(action), `push,delete has ${action}`);
    }
  });

  it('init adds the root stack creation and app creation; retained buckets get no delete handler', async () => {
    const init = await generatePolicies({ projectDir: LPDEMO, phases: ['init'] });
    assert.ok(granted(init).has('cloudformation:CreateStack') && granted(init).has('amplify:CreateApp'));
    const deleted = await generatePolicies({ projectDir: LPDEMO, phases: ['delete'] });
    // The storage bucket is DeletionPolicy Retain: the CLI empties and deletes it, CloudFormation does not.
    const s3Delete = needs(deleted).filter((r) => r.action === 's3:DeleteBucket');
    assert.ok(s3Delete.length > 0 && s3Delete.every((r) => r.reason.via === 'cli'));
  });
});

describe('region: aws:RequestedRegion where the ARN cannot pin it', function () {
  this.timeout(60_000);
  it('conditions regional actions on * and S3, never global services or ARNs that name the region', async () => {
    const result = await generatePolicies({ projectDir: LPDEMO });
    const statements = result.policies.flatMap((p) => p.document.Statement);
    const regionOf = (s: (typeof statements)[number]) => equalsValue(s, 'aws:RequestedRegion');
    for (const s of statements) {
      const global = s.Action.every((a) => a.startsWith('iam:') || a.startsWith('cloudfront:'));
      const unpinned = s.Resource.some((r) => r === '*' || r.startsWith('arn:aws:s3:::'));
      if (global) assert.equal(regionOf(s), undefined, `${s.Sid} is global`);
      else if (unpinned) assert.equal(regionOf(s), 'us-east-1', `${s.Sid} is pinned to the region`);
    }
    const listApps = statementsWith(result, 'amplify:ListApps');
    assert.ok(listApps.every((s) => regionOf(s) === 'us-east-1'));
    const denied = await deniedRequests(
      result.policies,
      [
        {
          action: 'amplify:ListApps',
          resource: '*',
          context: { 'aws:RequestedRegion': 'eu-central-1' },
          why: 'another region',
        },
      ],
      'us-east-1',
    );
    assert.equal(denied.length, 1, 'a request in another region is denied');
  });
});

describe('permissions boundary', function () {
  this.timeout(60_000);
  const roleTemplate = {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Join': ['', ['lpRole-', { Ref: 'env' }]] },
        AssumeRolePolicyDocument: {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [],
      },
    },
  };

  it("allows role changes only with the env's boundary (team-provider-info) and never removes it", async () => {
    const result = await generatePolicies({
      projectDir: writeCraftedProject({ resources: roleTemplate, permissionsBoundaryArn: BOUNDARY }),
    });
    assert.equal(result.context.permissionsBoundaryArn, BOUNDARY);
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PutRolePermissionsBoundary']) {
      for (const s of statementsWith(result, action)) {
        assert.equal(equalsValue(s, 'iam:PermissionsBoundary'), BOUNDARY, `${action} requires the boundary`);
      }
    }
    assert.ok(!granted(result).has('iam:DeleteRolePermissionsBoundary'));
    assert.ok(result.trimmed.some((t) => t.action === 'iam:DeleteRolePermissionsBoundary'));
    const role = 'arn:aws:iam::123456789012:role/lpRole-dev';
    const requests = (boundary?: string) => [
      {
        action: 'iam:CreateRole',
        resource: role,
        context: { ...VIA_CLOUDFORMATION, ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}) },
        why: 'role creation',
      },
    ];
    assert.deepEqual(await deniedRequests(result.policies, requests(BOUNDARY), 'eu-west-1'), []);
    assert.equal(
      (await deniedRequests(result.policies, requests(), 'eu-west-1')).length,
      1,
      'without the boundary',
    );
    assert.equal(
      (await deniedRequests(result.policies, requests('arn:aws:iam::123456789012:policy/Other'), 'eu-west-1'))
        .length,
      1,
      'with another boundary',
    );
    assert.ok(
      !result.escalations.some((f) => f.id === 'create-role-and-pass-to-compute'),
      'the boundary mitigates it',
    );
  });

  it('--permissions-boundary requests it for an env that has none', async () => {
    const result = await generatePolicies({
      projectDir: writeCraftedProject({ resources: roleTemplate }),
      permissionsBoundaryArn: BOUNDARY,
    });
    assert.equal(
      equalsValue(statementsWith(result, 'iam:CreateRole')[0] ?? {}, 'iam:PermissionsBoundary'),
      BOUNDARY,
    );
    // In the document as IAM receives it: the one boundary, unwrapped, and no way to remove it.
    const rendered = result.policies.flatMap(
      (p) => renderDocument(p.document).Statement as Array<Record<string, unknown>>,
    );
    const creates = rendered.filter((s) => [s.Action].flat().includes('iam:CreateRole'));
    assert.ok(creates.length > 0);
    for (const s of creates)
      assert.deepEqual(
        (s.Condition as Record<string, Record<string, unknown>>).StringEquals['iam:PermissionsBoundary'],
        BOUNDARY,
      );
    assert.ok(!rendered.some((s) => [s.Action].flat().includes('iam:DeleteRolePermissionsBoundary')));
  });
});

describe('privilege-escalation findings', function () {
  this.timeout(60_000);
  it('flags role creation plus PassRole to Lambda without a boundary, with the grants and the mitigation', async () => {
    const result = await generatePolicies({ projectDir: LPDEMO });
    const finding = result.escalations.find((f) => f.id === 'create-role-and-pass-to-compute');
    assert.ok(finding);
    assert.ok(
      finding.grants.some(
        (g) =>
          g.startsWith('iam:PassRole on arn:aws:iam::123456789012:role/lpdemoLambdaRole') &&
          g.includes('lambda.amazonaws.com'),
      ),
    );
    assert.ok(finding.grants.some((g) => g.startsWith('iam:CreateRole on ')));
    assert.match(finding.mitigation, /permissions-boundary/);
    assert.ok(!result.escalations.some((f) => f.id === 'role-changes-on-broad-names'), 'names are known');
  });

  it('flags role changes on names not tied to the project when the env is unknown', async () => {
    const role = {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: {}, RoleName: { 'Fn::Join': ['-', ['r', { Ref: 'env' }]] } },
      },
    };
    const result = await generatePolicies({
      projectDir: writeCraftedProject({ resources: role, unknownEnv: true }),
    });
    const finding = result.escalations.find((f) => f.id === 'role-changes-on-broad-names');
    assert.ok(finding, JSON.stringify(result.escalations.map((f) => f.id)));
    assert.ok(finding.grants.some((g) => g.includes(':role/r-*')));
  });

  it('flags IAM policies for users or groups', async () => {
    const policy = {
      P: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'p', PolicyDocument: {}, Users: ['someone'] },
      },
    };
    const result = await generatePolicies({ projectDir: writeCraftedProject({ resources: policy }) });
    assert.ok(result.escalations.some((f) => f.id === 'policies-for-users-or-groups'));
  });
});
