import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Grant, Statement } from '../../src/model';
import { globsIntersect, patternMayMatchFormat } from '../../src/policy/arn-overlap';
import { loadIamReference } from '../../src/policy/iam-reference';
import { mergeAcrossResourceTypes, reachFrom, type Reach } from '../../src/policy/merge-disjoint';
import { statement, type DraftStatement } from '../../src/policy/statements';

const FN = 'arn:aws:lambda:us-east-1:1:function:fn';
const BUCKET = 'arn:aws:s3:::bucket';
const TABLE = 'arn:aws:dynamodb:us-east-1:1:table/t';
const VIA_CFN = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } };
const draft = (s: Statement, grants: Grant[] = []): DraftStatement => ({ statement: s, grants });
/** A stand-in for the IAM reference: an action reaches an ARN of its own service. */
const sameService: Reach = (action, pattern) =>
  pattern === '*' || pattern.split(':')[2] === action.split(':')[0];

describe('passes: arn-overlap (glob intersection)', () => {
  const table: ReadonlyArray<[string, string, boolean]> = [
    ['a*', '*b', true],
    ['abc', 'abd', false],
    ['a*c', 'ab*', true],
    ['a?c', 'abc', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::c*', false],
    ['*', '', true],
    ['', 'a', false],
    ['x*y*z', '*q*', true],
    ['abc', 'abc', true],
  ];
  for (const [a, b, meet] of table)
    it(`${JSON.stringify(a)} and ${JSON.stringify(b)}: ${meet ? 'meet' : 'do not meet'}`, () => {
      assert.equal(globsIntersect(a, b), meet);
      assert.equal(globsIntersect(b, a), meet, 'symmetric');
    });

  const formats: ReadonlyArray<[string, string, boolean]> = [
    [FN, 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}', true],
    [FN, 'arn:${Partition}:s3:::${BucketName}', false],
    [BUCKET, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}', false],
    ['arn:aws:s3:::bucket/*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}', true],
    ['*', 'arn:${Partition}:s3:::${BucketName}', true],
    ['arn:aws:*:*:*:*', 'arn:${Partition}:sqs:${Region}:${Account}:${QueueName}', true],
  ];
  for (const [pattern, format, meet] of formats)
    it(`${pattern} ${meet ? 'may' : 'may not'} match ${format}`, () =>
      assert.equal(patternMayMatchFormat(pattern, format), meet));
});

describe('passes: merge-disjoint', () => {
  const table: ReadonlyArray<{ name: string; input: Statement[]; merged: number }> = [
    {
      name: 'statements of services that reach nothing of each other share one',
      input: [statement(['lambda:GetFunction'], [FN]), statement(['s3:GetBucketTagging'], [BUCKET])],
      merged: 1,
    },
    {
      name: 'an action that reaches the other statement’s resource keeps them apart',
      input: [
        statement(['lambda:GetFunction'], [FN]),
        statement(['lambda:GetPolicy'], ['arn:aws:lambda:us-east-1:1:function:other']),
      ],
      merged: 2,
    },
    {
      name: 'different conditions stay apart',
      input: [statement(['lambda:GetFunction'], [FN]), statement(['s3:GetBucketTagging'], [BUCKET], VIA_CFN)],
      merged: 2,
    },
    {
      name: 'a statement on * is never merged',
      input: [statement(['lambda:GetFunction'], [FN]), statement(['ec2:DescribeVpcs'], ['*'])],
      merged: 2,
    },
    {
      name: 'three disjoint services merge into one',
      input: [
        statement(['lambda:GetFunction'], [FN]),
        statement(['s3:GetBucketTagging'], [BUCKET]),
        statement(['dynamodb:DescribeTable'], [TABLE]),
      ],
      merged: 1,
    },
  ];
  for (const { name, input, merged } of table)
    it(name, () =>
      assert.equal(
        mergeAcrossResourceTypes(
          input.map((s) => draft(s)),
          sameService,
        ).length,
        merged,
      ),
    );

  it('keeps merged statements under the size cap', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      statement([`svc${i}:Get`], [`arn:aws:svc${i}:us-east-1:1:thing/${'n'.repeat(100)}`]),
    );
    const merged = mergeAcrossResourceTypes(
      many.map((s) => draft(s)),
      sameService,
      1000,
    );
    assert.ok(merged.length > 1);
    for (const { statement: s } of merged)
      assert.ok(JSON.stringify(s).length <= 1100, String(JSON.stringify(s).length));
  });

  it('carries every grant of the merged statements', () => {
    const grant = (action: string, resource: string): Grant => ({ action, resource, origins: [] });
    const a = grant('lambda:GetFunction', FN);
    const b = grant('s3:GetBucketTagging', BUCKET);
    const [merged] = mergeAcrossResourceTypes(
      [draft(statement([a.action], [a.resource]), [a]), draft(statement([b.action], [b.resource]), [b])],
      sameService,
    );
    assert.deepEqual(new Set(merged.grants), new Set([a, b]));
  });

  it('allows exactly the (action, ARN) pairs IAM can authorize that the inputs allowed (property, real reference)', async () => {
    const actions = [
      'lambda:GetFunction',
      'lambda:TagResource',
      's3:GetBucketTagging',
      's3:GetObject',
      'dynamodb:DescribeTable',
      'sqs:GetQueueAttributes',
    ];
    const resources = [
      FN,
      'arn:aws:lambda:us-east-1:1:function:g',
      BUCKET,
      `${BUCKET}/*`,
      TABLE,
      'arn:aws:sqs:us-east-1:1:q',
    ];
    const reach = reachFrom(await loadIamReference(actions, []));
    const authorized = (statements: readonly Statement[]): Set<string> =>
      new Set(
        statements.flatMap((s) =>
          s.Action.flatMap((a) =>
            s.Resource.filter((r) => reach(a, r)).map(
              (r) => `${a} ${r} ${JSON.stringify(s.Condition ?? null)}`,
            ),
          ),
        ),
      );
    const arbitraryStatement = fc
      .tuple(fc.subarray(actions, { minLength: 1 }), fc.subarray(resources, { minLength: 1 }), fc.boolean())
      .map(([a, r, cfn]) => statement(a, r, cfn ? VIA_CFN : undefined));
    fc.assert(
      fc.property(fc.array(arbitraryStatement, { maxLength: 8 }), (input) => {
        const merged = mergeAcrossResourceTypes(
          input.map((s) => draft(s)),
          reach,
        ).map((d) => d.statement);
        assert.deepEqual(authorized(merged), authorized(input));
      }),
      { numRuns: 200 },
    );
  });
});
