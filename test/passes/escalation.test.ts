import * as assert from 'node:assert/strict';
import { loadCatalog } from '../../src/catalog/catalog';
import type { NamedPolicy, Statement } from '../../src/model';
import { escalationFindings, isBroad } from '../../src/policy/escalation';
import { loadIamReference } from '../../src/policy/iam-reference';
import { reachFrom } from '../../src/policy/merge-disjoint';
import { statement } from '../../src/policy/statements';

const ROLE = 'arn:aws:iam::123456789012:role/amplify-app-dev-12345-authRole';
const BOUNDARY = { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/b' } };
const policy = (...Statement: Statement[]): NamedPolicy[] => [
  { name: 'p', document: { Version: '2012-10-17', Statement }, characters: 0 },
];
const ACTIONS = [
  'iam:CreateRole',
  'iam:PassRole',
  'iam:PutUserPolicy',
  'iam:CreatePolicyVersion',
  'iam:PutRolePolicy',
  'lambda:GetFunction',
];

describe('passes: escalation findings (data/escalation-rules.json)', () => {
  const table: ReadonlyArray<[string, Statement[], string[]]> = [
    [
      'creating a role and passing it to Lambda',
      [
        statement(['iam:CreateRole'], [ROLE]),
        statement(['iam:PassRole'], [ROLE], {
          StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        }),
      ],
      ['create-role-and-pass-to-compute'],
    ],
    [
      'the same with the boundary required: mitigated',
      [
        statement(['iam:CreateRole'], [ROLE], BOUNDARY),
        statement(['iam:PassRole'], [ROLE], {
          StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        }),
      ],
      [],
    ],
    [
      'passing a role only to a service that runs no code',
      [
        statement(['iam:CreateRole'], [ROLE]),
        statement(['iam:PassRole'], [ROLE], {
          StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' },
        }),
      ],
      [],
    ],
    [
      'role changes on names of any project',
      [statement(['iam:PutRolePolicy'], ['arn:aws:iam::1:role/*'])],
      ['role-changes-on-broad-names'],
    ],
    [
      'user policies',
      [statement(['iam:PutUserPolicy'], ['arn:aws:iam::1:user/u'])],
      ['policies-for-users-or-groups'],
    ],
    ['policy versions on *', [statement(['iam:CreatePolicyVersion'], ['*'])], ['managed-policy-versions']],
    ['PassRole on every role', [statement(['iam:PassRole'], ['*'])], ['pass-role-broad']],
    ['nothing of IAM', [statement(['lambda:GetFunction'], ['arn:aws:lambda:us-east-1:1:function:f'])], []],
  ];
  for (const [name, statements, ids] of table)
    it(name, async () => {
      const reach = reachFrom(await loadIamReference(ACTIONS, []));
      const findings = escalationFindings(policy(...statements), loadCatalog().escalationRules, reach);
      assert.deepEqual(findings.map((f) => f.id).sort(), [...ids].sort());
      for (const finding of findings) {
        assert.ok(finding.grants.length > 0 && finding.mitigation.length > 0, finding.id);
      }
    });

  const broad: ReadonlyArray<[string, boolean]> = [
    ['*', true],
    ['arn:aws:iam::1:role/*', true],
    ['arn:aws:iam::1:role/amp*', true],
    ['arn:aws:iam::1:role/amplify-*', false],
    ['arn:aws:iam::1:role/exact', false],
    ['arn:aws:iam::1:policy/*', false],
  ];
  for (const [resource, expected] of broad)
    it(`isBroad(${resource}, role, 4) is ${expected}`, () =>
      assert.equal(isBroad(resource, 'role', 4), expected));
});
