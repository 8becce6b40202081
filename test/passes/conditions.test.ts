import * as assert from 'node:assert/strict';
import type { ConditionBlock, Grant, Requirement } from '../../src/model';
import { boundaryTrims, requirePermissionsBoundary } from '../../src/policy/boundary';
import { loadIamReference, type IamReference } from '../../src/policy/iam-reference';
import { pinToRegion } from '../../src/policy/region';

const BOUNDARY = 'arn:aws:iam::123456789012:policy/boundary';
const ROLE = 'arn:aws:iam::123456789012:role/amplify-x-dev-authRole';
const VIA_CFN: ConditionBlock = {
  'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] },
};
const need = (resource: string): Requirement => ({
  action: 'x',
  phase: 'push',
  reason: {
    via: 'cloudformation',
    resource,
    resourceType: 'AWS::IAM::Role',
    summary: 's',
    detail: 'd',
    source: 'test',
  },
});
const grant = (
  action: string,
  resource: string,
  condition?: ConditionBlock,
  origins: Requirement[][] = [[need('auth/x')]],
): Grant => (condition ? { action, resource, condition, origins } : { action, resource, origins });

describe('passes: permissions boundary', () => {
  let iam: IamReference;
  before(async () => {
    iam = await loadIamReference(
      [
        'iam:CreateRole',
        'iam:PutRolePolicy',
        'iam:GetRole',
        'iam:DeleteRolePermissionsBoundary',
        'iam:CreatePolicy',
        'lambda:CreateFunction',
      ],
      [],
    );
  });

  const table: ReadonlyArray<[string, Grant, 'conditioned' | 'unchanged' | 'dropped']> = [
    ['creating a role needs the boundary', grant('iam:CreateRole', ROLE, VIA_CFN), 'conditioned'],
    ['a role policy change needs it, on * too', grant('iam:PutRolePolicy', '*'), 'conditioned'],
    ['reading a role does not (old roles may have none)', grant('iam:GetRole', ROLE), 'unchanged'],
    ['removing the boundary is never granted', grant('iam:DeleteRolePermissionsBoundary', ROLE), 'dropped'],
    [
      'a managed policy is not a role',
      grant('iam:CreatePolicy', 'arn:aws:iam::123456789012:policy/p'),
      'unchanged',
    ],
    [
      'another service is not concerned',
      grant('lambda:CreateFunction', 'arn:aws:lambda:us-east-1:1:function:f'),
      'unchanged',
    ],
  ];
  for (const [name, input, outcome] of table)
    it(name, () => {
      const { grants, dropped } = requirePermissionsBoundary([input], BOUNDARY, iam);
      if (outcome === 'dropped') {
        assert.deepEqual(grants, []);
        assert.deepEqual(dropped, [input]);
        return;
      }
      assert.deepEqual(dropped, []);
      assert.equal(grants.length, 1);
      assert.equal(grants[0].origins, input.origins, 'the origins are the same, not copies');
      if (outcome === 'unchanged') assert.deepEqual(grants[0], input);
      else
        assert.deepEqual(grants[0].condition, {
          ...(input.condition ?? {}),
          StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
        });
    });

  it('without a boundary nothing changes', () => {
    const input = table.map(([, g]) => g);
    assert.deepEqual(requirePermissionsBoundary(input, undefined, iam), { grants: input, dropped: [] });
  });

  it('the dropped grants are trimmed once per resource and action, whatever the number of ARNs', () => {
    const origins = [[need('auth/a'), need('auth/a')], [need('auth/b')]];
    const dropped = [
      grant('iam:DeleteRolePermissionsBoundary', ROLE, undefined, origins),
      grant('iam:DeleteRolePermissionsBoundary', `${ROLE}2`, undefined, origins),
    ];
    assert.deepEqual(
      boundaryTrims(dropped).map((t) => [t.resource, t.resourceType, t.action]),
      [
        ['auth/a', 'AWS::IAM::Role', 'iam:DeleteRolePermissionsBoundary'],
        ['auth/b', 'AWS::IAM::Role', 'iam:DeleteRolePermissionsBoundary'],
      ],
    );
  });
});

describe('passes: region pin', () => {
  const REGION = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
  const table: ReadonlyArray<[string, Grant, ConditionBlock | undefined]> = [
    ['a resource of *: pinned', grant('ec2:DescribeVpcs', '*'), REGION],
    [
      'an ARN that names the region: not pinned',
      grant('lambda:GetFunction', 'arn:aws:lambda:eu-west-1:1:function:f'),
      undefined,
    ],
    ['an ARN without a region field (S3): pinned', grant('s3:GetObject', 'arn:aws:s3:::b/*'), REGION],
    [
      'an ARN whose region is a wildcard: pinned',
      grant('lambda:GetFunction', 'arn:aws:lambda:*:1:function:f'),
      REGION,
    ],
    ['a global service: never pinned', grant('iam:GetRole', '*'), undefined],
    [
      'an existing condition keeps its keys',
      grant('lambda:CreateFunction', '*', VIA_CFN),
      { ...VIA_CFN, ...REGION },
    ],
  ];
  for (const [name, input, condition] of table)
    it(name, () => {
      const [pinned] = pinToRegion([input], 'eu-west-1', ['iam', 'cloudfront']);
      assert.deepEqual(pinned.condition, condition ?? input.condition);
      assert.equal(pinned.origins, input.origins);
    });

  it('without a recorded region nothing is pinned', () => {
    const input = table.map(([, g]) => g);
    assert.deepEqual(pinToRegion(input, undefined, ['iam']), input);
  });

  it('grants that share a condition share its pinned copy', () => {
    const [a, b] = pinToRegion(
      [grant('s3:GetObject', '*', VIA_CFN), grant('s3:PutObject', '*', VIA_CFN)],
      'eu-west-1',
      [],
    );
    assert.equal(a.condition, b.condition);
  });
});
