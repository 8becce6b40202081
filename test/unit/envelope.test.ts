import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deploymentNames } from '../../src/discovery/deployment-names';
import type { ProjectContext } from '../../src/model';
import { covers } from '../../src/policy/arn-patterns';
import { OUTSIDE_CAUSE, projectEnvelope, widening } from '../../src/policy/envelope';
import { allowedPrefix, foldNames, literalPrefix, MIN_FOLD_PREFIX } from '../../src/policy/fold-names';
import { loadIamReference, type IamReference } from '../../src/policy/iam-reference';
import { arnsForAction } from '../../src/policy/arns-for-action';
import { compactRegistry } from '../../src/policy/compact-registry';
import type { NameRegistry } from '../../src/policy/name-registry';

const context = (overrides: Partial<ProjectContext> = {}): ProjectContext => ({
  rootDir: '.',
  projectName: 'lp',
  envName: 'dev',
  region: 'eu-west-1',
  accountId: '123456789012',
  rootStackName: 'amplify-lp-dev-12345',
  deploymentBucket: 'amplify-lp-dev-12345-deployment',
  appId: 'd1234567890abc',
  envNames: ['dev'],
  warnings: [],
  ...overrides,
});
const names = deploymentNames(context());
const envelope = projectEnvelope(names, 25);
const pseudo = { Partition: 'aws', Region: 'eu-west-1', Account: '123456789012' };

const ACTIONS = [
  'lambda:CreateFunction',
  'lambda:TagResource',
  'iam:CreateRole',
  'iam:PassRole',
  'cloudformation:UpdateStack',
  's3:GetObject',
  'cognito-idp:CreateUserPool',
  'cognito-idp:DescribeUserPool',
  'apigateway:GET',
];
const ARN_TYPES = ['lambda:function', 'iam:role', 'lambda:eventSourceMapping', 'cognito-idp:userpool'];

function registry(entries: Record<string, { arnType: string; key: string; names: string[] }>): NameRegistry {
  const byKey = new Map<string, string[]>();
  for (const { key, names } of Object.values(entries)) byKey.set(key, [...(byKey.get(key) ?? []), ...names]);
  return {
    names: byKey,
    byResource: new Map(),
    byType: new Map(
      Object.entries(entries).map(([type, e]) => [
        type,
        { arnType: e.arnType, keys: [e.key], names: e.names },
      ]),
    ),
    causes: new Map(),
    neverBare: new Set(['iam:role', 'lambda:function']),
  };
}

describe('envelope: every grant inside the project or a reported widening', () => {
  let iam: IamReference;
  before(async () => {
    iam = await loadIamReference(ACTIONS, ARN_TYPES);
  });

  it('places named resources, stack-prefixed patterns and wildcard-only actions inside', () => {
    const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:lpfn-dev';
    assert.equal(widening('lambda:CreateFunction', fn, iam, envelope, new Map()), undefined);
    const generated = 'arn:aws:iam::123456789012:role/amplify-lp-dev-12345*';
    assert.equal(widening('iam:CreateRole', generated, iam, envelope, new Map()), undefined);
    const nested = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/amplify-lp-dev-12345-*/*';
    assert.equal(widening('cloudformation:UpdateStack', nested, iam, envelope, new Map()), undefined);
    assert.equal(widening('cognito-idp:CreateUserPool', '*', iam, envelope, new Map()), undefined);
  });

  it('reports bare names, unknown parts, other accounts and unknown regions with their cause', () => {
    const cause = (action: string, arn: string, env = envelope): string | undefined =>
      widening(action, arn, iam, env, new Map());
    assert.match(cause('iam:PassRole', 'arn:aws:iam::123456789012:role/*') ?? '', /no resource of this type/);
    assert.match(cause('iam:PassRole', 'arn:aws:iam::123456789012:role/Post-*-dev') ?? '', /not known/);
    assert.match(cause('iam:PassRole', 'arn:aws:iam::999999999999:role/x') ?? '', new RegExp(OUTSIDE_CAUSE));
    assert.match(cause('iam:PassRole', '*') ?? '', /no ARN of the project/);
    const undeployed = projectEnvelope(
      deploymentNames(context({ region: undefined, rootStackName: undefined })),
      25,
    );
    assert.match(
      cause('lambda:CreateFunction', 'arn:aws:lambda:*:123456789012:function:fn-dev', undeployed) ?? '',
      /region not recorded/,
    );
    assert.match(
      cause('iam:CreateRole', 'arn:aws:iam::123456789012:role/amplify-lp-dev-*', undeployed) ?? '',
      /root stack name not recorded/,
    );
    assert.match(
      cause('lambda:CreateFunction', 'arn:aws:lambda:eu-west-1:123456789012:layer:x') ?? '',
      new RegExp(OUTSIDE_CAUSE),
      'an ARN that fits none of the action’s resource types',
    );
  });

  it("scopes a handler's action to its own type's names (a function's tags: the functions)", () => {
    const names = registry({
      'AWS::Lambda::Function': {
        arnType: 'lambda:function',
        key: 'lambda|function:',
        names: ['a-dev', 'b-dev'],
      },
      'AWS::Lambda::EventSourceMapping': {
        arnType: 'lambda:eventSourceMapping',
        key: 'lambda|event-source-mapping:',
        names: ['*'],
      },
    });
    assert.deepEqual(arnsForAction('lambda:TagResource', iam, names, pseudo, 'AWS::Lambda::Function'), [
      'arn:aws:lambda:eu-west-1:123456789012:function:a-dev',
      'arn:aws:lambda:eu-west-1:123456789012:function:b-dev',
    ]);
    assert.deepEqual(
      arnsForAction('lambda:TagResource', iam, names, pseudo, 'AWS::Lambda::EventSourceMapping'),
      ['arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:*'],
    );
  });

  it('never collapses many project names into a bare *: only formats the project names nothing of', () => {
    const many = Array.from({ length: 20 }, (_, i) => `fn${i}x-dev`);
    const names = registry({
      'AWS::Lambda::Function': { arnType: 'lambda:function', key: 'lambda|function:', names: many },
    });
    const arns = arnsForAction('lambda:CreateFunction', iam, names, pseudo);
    assert.equal(arns.length, 20);
    assert.ok(!arns.includes('arn:aws:lambda:eu-west-1:123456789012:function:*'));
    const wide = arnsForAction('apigateway:GET', iam, names, pseudo);
    assert.ok(wide.length <= 6, `API Gateway's unnamed formats collapse: ${wide.length}`);
  });

  it('folds long name lists to the project prefixes, each fold a reported cause', () => {
    const roles = [
      'lpfullLambdaRole1aaa-dev',
      'lpfullLambdaRole2bbb-dev',
      'lpfullLambdaRole3ccc-dev',
      'AdminQueriesLambdaRole-dev',
      'amplify-lp-dev-12345-authRole',
      'amplify-lp-dev-12345-unauthRole',
    ];
    const names = registry({ 'AWS::IAM::Role': { arnType: 'iam:role', key: 'iam|role/', names: roles } });
    const { registry: folded, folded: lines } = compactRegistry(names, 2, ['amplify-lp-dev-12345']);
    const list = folded.names.get('iam|role/') ?? [];
    assert.ok(list.includes('lpfullLambdaRole*-dev'), list.join(' '));
    assert.ok(list.includes('amplify-lp-dev-12345-*authRole'), list.join(' '));
    assert.ok(list.includes('AdminQueriesLambdaRole-dev'), 'no prefix to share: stays exact');
    assert.equal(lines.length, 2);
    assert.match(folded.causes.get('iam|role/|lpfullLambdaRole*-dev') ?? '', /folded/);
    for (const role of roles)
      assert.ok(
        list.some((pattern) => covers(pattern, role)),
        role,
      );
  });
});

describe('fold-names: properties', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  const anchor = 'amplify-lp-dev-12345';
  it('covers every name, keeps prefixes of at least 6 characters and never stops inside the stack anchor', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            name,
            name.map((n) => `${anchor}-${n}`),
          ),
          { maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 10 }),
        (names, max) => {
          const groups = foldNames(names, max, [anchor]);
          for (const n of names)
            assert.ok(
              groups.some((g) => covers(g.pattern, n)),
              n,
            );
          for (const group of groups) {
            if (group.members.length < 2) continue;
            const prefix = literalPrefix(group.pattern);
            assert.ok(prefix.length >= MIN_FOLD_PREFIX, group.pattern);
            assert.ok(allowedPrefix(prefix, [anchor]), group.pattern);
          }
        },
      ),
    );
  });
});
