import * as assert from 'node:assert/strict';
import { uncoveredGrants } from '../../src/check/coverage';
import type { ConditionBlock, Grant } from '../../src/model';

const requirement = (action: string, resource: string, condition?: ConditionBlock): Grant => ({
  action,
  resource,
  condition,
  origins: [],
});
const viaCfn = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } };
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

describe('guard: coverage of requirements by policy documents', () => {
  it('covers by action (wildcards, any case) and resource pattern', () => {
    const documents = [
      doc({ Effect: 'Allow', Action: ['s3:Get*', 'LAMBDA:createfunction'], Resource: 'arn:aws:s3:::b/*' }),
    ];
    assert.deepEqual(uncoveredGrants([requirement('s3:GetObject', 'arn:aws:s3:::b/*')], documents), []);
    assert.equal(uncoveredGrants([requirement('s3:PutObject', 'arn:aws:s3:::b/*')], documents).length, 1);
    assert.equal(uncoveredGrants([requirement('s3:GetObject', 'arn:aws:s3:::c/*')], documents).length, 1);
  });

  it('needs the statement condition to hold for the request: CalledVia and region', () => {
    const documents = [
      doc({
        Effect: 'Allow',
        Action: 'lambda:CreateFunction',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' } },
      }),
      doc({
        Effect: 'Allow',
        Action: 'amplify:ListApps',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      }),
    ];
    assert.deepEqual(
      uncoveredGrants(
        [requirement('lambda:CreateFunction', 'arn:aws:lambda:r:1:function:f', viaCfn)],
        documents,
      ),
      [],
    );
    assert.equal(
      uncoveredGrants([requirement('lambda:CreateFunction', 'arn:aws:lambda:r:1:function:f')], documents)
        .length,
      1,
      'a direct call is not covered',
    );
    assert.deepEqual(
      uncoveredGrants(
        [requirement('amplify:ListApps', '*', { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } })],
        documents,
      ),
      [],
    );
    assert.equal(
      uncoveredGrants(
        [requirement('amplify:ListApps', '*', { StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } })],
        documents,
      ).length,
      1,
    );
  });

  it('lets a matching Deny win and does not interpret NotAction', () => {
    const allowed = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    assert.equal(
      uncoveredGrants(
        [requirement('s3:GetObject', '*')],
        [allowed, doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' })],
      ).length,
      1,
    );
    assert.equal(
      uncoveredGrants(
        [requirement('s3:GetObject', '*')],
        [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
      ).length,
      1,
    );
  });
});
