import * as assert from 'node:assert/strict';
import type { ConditionBlock, Grant, Statement } from '../../src/model';
import { covers } from '../../src/policy/arn-patterns';
import { groupStatements as groupDrafts, mergeStatements, statement } from '../../src/policy/statements';

const viaCfn: ConditionBlock = {
  'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] },
};
const req = (action: string, resource: string, condition?: ConditionBlock): Grant => ({
  action,
  resource,
  condition,
  origins: [],
});
const groupStatements = (grants: readonly Grant[]): Statement[] =>
  groupDrafts(grants).map((d) => d.statement);
const draft = (s: Statement) => ({ statement: s, grants: [] });

/** Every (action, resource, condition) the statements allow, as strings, with wildcards left as they are. */
const allowedPairs = (statements: readonly Statement[]): Set<string> =>
  new Set(
    statements.flatMap((s) =>
      s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${r} ${JSON.stringify(s.Condition ?? null)}`)),
    ),
  );

describe('statements: grouping and merging', () => {
  it('puts actions with the same resources and condition in one statement', () => {
    const statements = groupStatements([
      req('s3:GetObject', 'arn:aws:s3:::b/*'),
      req('s3:PutObject', 'arn:aws:s3:::b/*'),
    ]);
    assert.equal(statements.length, 1);
    assert.deepEqual(statements[0].Action, ['s3:GetObject', 's3:PutObject']);
  });

  it('never merges across conditions', () => {
    const statements = groupStatements([
      req('s3:GetObject', 'arn:aws:s3:::b/*'),
      req('s3:PutObject', 'arn:aws:s3:::b/*', viaCfn),
    ]);
    assert.equal(statements.length, 2);
  });

  it('merges resources of statements with the same actions (aws-cdk rule) and keeps the pairs exact', () => {
    const input = [
      statement(['lambda:GetFunction'], ['arn:aws:lambda:r:1:function:a']),
      statement(['lambda:GetFunction'], ['arn:aws:lambda:r:1:function:b']),
      statement(
        ['lambda:InvokeFunction'],
        ['arn:aws:lambda:r:1:function:a', 'arn:aws:lambda:r:1:function:b'],
      ),
    ];
    const merged = mergeStatements(input.map(draft)).map((d) => d.statement);
    assert.equal(merged.length, 1);
    assert.deepEqual(allowedPairs(merged), allowedPairs(input));
  });

  it('drops a resource a wider pattern of the same action covers, and * wins', () => {
    const statements = groupStatements([
      req('s3:GetObject', 'arn:aws:s3:::b/*'),
      req('s3:GetObject', 'arn:aws:s3:::b/key'),
      req('ec2:DescribeVpcs', 'arn:aws:ec2:r:1:vpc/x'),
      req('ec2:DescribeVpcs', '*'),
    ]);
    const get = statements.find((s) => s.Action.includes('s3:GetObject'));
    assert.deepEqual(get?.Resource, ['arn:aws:s3:::b/*']);
    assert.deepEqual(statements.find((s) => s.Action.includes('ec2:DescribeVpcs'))?.Resource, ['*']);
  });

  it('allows every requirement and nothing of another action (property over a random set)', () => {
    const actions = ['a:One', 'a:Two', 'b:Three', 'b:Four'];
    const resources = ['arn:aws:x:::r1', 'arn:aws:x:::r2', 'arn:aws:x:::r3'];
    let seed = 7;
    const random = (n: number): number => (((seed = (seed * 16807) % 2147483647) % n) + n) % n;
    const input = Array.from({ length: 40 }, () =>
      req(actions[random(4)], resources[random(3)], random(2) ? viaCfn : undefined),
    );
    const statements = groupStatements(input);
    for (const r of input) {
      assert.ok(
        statements.some(
          (s) =>
            s.Action.includes(r.action) &&
            s.Resource.some((x) => covers(x, r.resource)) &&
            JSON.stringify(s.Condition) ===
              JSON.stringify(
                r.condition
                  ? { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } }
                  : undefined,
              ),
        ),
        `${r.action} on ${r.resource} is allowed`,
      );
    }
    const asked = new Set(input.map((r) => `${r.action} ${r.resource} ${r.condition ? 'cfn' : '-'}`));
    for (const s of statements) {
      for (const a of s.Action)
        for (const x of s.Resource)
          assert.ok(asked.has(`${a} ${x} ${s.Condition ? 'cfn' : '-'}`), `${a} on ${x} was asked for`);
    }
  });
});
