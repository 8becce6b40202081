import * as assert from 'node:assert/strict';
import type { PolicyDocument, Statement } from '../../src/model';
import { loadIamReference, type IamReference } from '../../src/policy/iam-reference';
import { statement } from '../../src/policy/statements';
import { validateDocuments } from '../../src/policy/validate';
import { FINDING_KINDS } from '../../src/results';

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

describe('passes: validate, on documents with one fault each', () => {
  let iam: IamReference;
  before(async () => {
    iam = await loadIamReference(
      ['lambda:GetFunction', 'ec2:DescribeVpcs', 's3:GetObject', 'lambda:NotAnAction'],
      [],
    );
  });

  const table: ReadonlyArray<[string, PolicyDocument[], string[]]> = [
    ['a valid document', [doc({ ...statement(['lambda:GetFunction'], [FN]), Sid: 'A' })], []],
    ['no statement', [doc()], ['empty']],
    [
      'an action IAM does not know (so no ARN fits it either)',
      [doc(statement(['lambda:NotAnAction'], [FN]))],
      ['unknown-action', 'resource-mismatch'],
    ],
    [
      'an action without resource types on an ARN',
      [doc(statement(['ec2:DescribeVpcs'], [FN]))],
      ['resource-mismatch', 'resource-mismatch'],
    ],
    [
      'an ARN no action of the statement is authorized on',
      [doc(statement(['lambda:GetFunction'], ['arn:aws:s3:::bucket/key']))],
      ['resource-mismatch'],
    ],
    [
      'a statement of two services: each ARN fits the formats of its own service only',
      [
        doc(
          statement(
            ['lambda:GetFunction', 's3:GetObject'],
            [FN, 'arn:aws:s3:::b/*', 'arn:aws:lambda:us-east-1:123456789012:layer:l'],
          ),
        ),
      ],
      ['resource-mismatch'],
    ],
    [
      'a wildcard before the service field fits through the format of any service',
      [doc(statement(['lambda:GetFunction'], ['arn:aws:*:us-east-1:123456789012:function:*']))],
      [],
    ],
    [
      'two statements with one Sid',
      [
        doc(
          { ...statement(['lambda:GetFunction'], [FN]), Sid: 'Same' },
          { ...statement(['s3:GetObject'], ['arn:aws:s3:::b/*']), Sid: 'Same' },
        ),
      ],
      ['duplicate-sid'],
    ],
    [
      'a document above 6,144 characters',
      [
        doc(
          statement(
            ['lambda:GetFunction'],
            Array.from({ length: 120 }, (_, i) => `${FN}${i}${'x'.repeat(20)}`),
          ),
        ),
      ],
      ['too-large'],
    ],
  ];
  for (const [name, documents, kinds] of table)
    it(name, () => {
      const findings = validateDocuments(documents, iam);
      assert.deepEqual(
        findings.map((f) => f.kind),
        kinds,
        JSON.stringify(findings),
      );
      for (const f of findings) assert.ok(Object.hasOwn(FINDING_KINDS, f.kind) && f.message.length > 0);
    });
});
