import * as assert from 'node:assert/strict';
import {
  buildArns,
  commonPrefixPatterns,
  covers,
  formatPattern,
  nameKey,
  withoutCovered,
} from '../../src/policy/arn-patterns';

const pseudo = { Partition: 'aws', Region: 'us-east-1', Account: '123456789012' };

describe('arn-patterns', () => {
  it('shares a name key between a bucket and its objects, a layer and its versions', () => {
    assert.equal(
      nameKey('arn:${Partition}:s3:::${BucketName}'),
      nameKey('arn:${Partition}:s3:::${BucketName}/${ObjectName}'),
    );
    assert.equal(
      nameKey('arn:${Partition}:lambda:${Region}:${Account}:layer:${LayerName}'),
      nameKey('arn:${Partition}:lambda:${Region}:${Account}:layer:${LayerName}:${LayerVersion}'),
    );
    assert.notEqual(
      nameKey('arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}'),
      nameKey('arn:${Partition}:lambda:${Region}:${Account}:layer:${LayerName}'),
    );
  });

  it('fills the first variable with each name and the others with *', () => {
    assert.deepEqual(buildArns('arn:${Partition}:s3:::${BucketName}/${ObjectName}', pseudo, ['b1', 'b2']), [
      'arn:aws:s3:::b1/*',
      'arn:aws:s3:::b2/*',
    ]);
    assert.deepEqual(buildArns('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}', pseudo, undefined), [
      'arn:aws:kms:us-east-1:123456789012:key/*',
    ]);
    assert.deepEqual(
      buildArns(
        'arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}',
        pseudo,
        ['/amplify/x'],
      ),
      ['arn:aws:ssm:us-east-1:123456789012:parameter/amplify/x'],
    );
  });

  it('matches ARNs and patterns against a format', () => {
    const format = formatPattern('arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}');
    assert.ok(format.test('arn:aws:lambda:us-east-1:123456789012:function:fn-dev'));
    assert.ok(format.test('arn:aws:lambda:*:*:function:*'));
    assert.ok(!format.test('arn:aws:lambda:us-east-1:123456789012:layer:l'));
    assert.ok(!format.test('arn:aws:s3:::bucket'));
  });

  it('knows when one pattern covers another', () => {
    assert.ok(covers('arn:aws:s3:::amplify-*', 'arn:aws:s3:::amplify-app-dev-1-deployment'));
    assert.ok(covers('*', 'arn:aws:s3:::x'));
    assert.ok(!covers('arn:aws:s3:::amplify-app', 'arn:aws:s3:::amplify-app-2'));
    assert.ok(covers('arn:aws:s3:::a?c', 'arn:aws:s3:::abc'));
  });

  it('drops covered patterns and keeps the rest sorted', () => {
    assert.deepEqual(
      withoutCovered(['arn:aws:s3:::b/x', 'arn:aws:s3:::a', 'arn:aws:s3:::b/*', 'arn:aws:s3:::a']),
      ['arn:aws:s3:::a', 'arn:aws:s3:::b/*'],
    );
  });

  it('collapses many patterns to one common prefix per ARN base, at a separator', () => {
    assert.deepEqual(
      commonPrefixPatterns([
        'arn:aws:apigateway:us-east-1::/restapis/*',
        'arn:aws:apigateway:us-east-1::/apis/*',
        'arn:aws:apigateway:us-east-1:123456789012:/portals/*',
      ]),
      ['arn:aws:apigateway:us-east-1::/*', 'arn:aws:apigateway:us-east-1:123456789012:/portals/*'],
    );
  });
});
