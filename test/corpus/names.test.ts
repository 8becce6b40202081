import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { covers } from '../../src/policy/arn-patterns';
import { CORPUS_DIR, corpusProjects, exampleProjects } from '../support/paths';
import { needs } from '../support/grants';

/**
 * The names granted for the kinds of resource that matter (roles, policies, functions, buckets,
 * tables, queues, topics, stacks, domains), over every real project: none starts with `*` or
 * holds fewer than 6 literal characters before its first `*`, unless the project records
 * nothing more — and then the widening says why (an id assigned at creation, a template not
 * built and a value not recorded, the root stack not recorded), not merely that part is unknown.
 */
const projects = [...corpusProjects().map((name) => path.join(CORPUS_DIR ?? '', name)), ...exampleProjects()];

const KINDS: ReadonlyArray<[string, RegExp]> = [
  ['role', /^arn:[^:]+:iam::[^:]*:role\/(.*)$/],
  ['policy', /^arn:[^:]+:iam::[^:]*:policy\/(.*)$/],
  ['function', /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]*)/],
  ['bucket', /^arn:[^:]+:s3:::([^/]*)/],
  ['table', /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]*)/],
  ['queue', /^arn:[^:]+:sqs:[^:]*:[^:]*:(.*)$/],
  ['topic', /^arn:[^:]+:sns:[^:]*:[^:]*:([^:]*)/],
  ['stack', /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/([^/]*)/],
  ['domain', /^arn:[^:]+:es:[^:]*:[^:]*:domain\/([^/]*)/],
];
const MIN_LITERAL = 6;

/** Causes that say a part is unknown without saying why the project cannot tell it. */
const GENERIC = [
  /^part of the name is not known before deployment$/,
  /^no resource of this type is named by the project$/,
  /^(region|account) not recorded/,
];

/** The kind and name of a granted ARN whose name is short before its first wildcard. */
function shortName(resource: string): { kind: string; name: string } | undefined {
  for (const [kind, pattern] of KINDS) {
    const name = pattern.exec(resource)?.[1];
    if (name === undefined) continue;
    const wildcard = name.search(/[*?]/);
    return wildcard >= 0 && wildcard < MIN_LITERAL ? { kind, name } : undefined;
  }
  return undefined;
}

function assertNamesSpecific(result: GenerateResult, label: string): void {
  const widened = new Map(result.widened.map((w) => [w.pattern, w.cause]));
  for (const { action, resource } of needs(result)) {
    const short = shortName(resource);
    if (!short) continue;
    const cause = widened.get(resource);
    assert.ok(cause, `${label}: ${action} on ${resource} (${short.kind} ${short.name}) is not reported`);
    const specific = cause.split('; ').filter((part) => !GENERIC.some((generic) => generic.test(part)));
    assert.ok(
      specific.length > 0,
      `${label}: ${resource} (${short.kind} ${short.name}) is reported only as "${cause}": the project records more`,
    );
  }
}

describe('names: no granted role, policy, function, bucket, table, queue, topic, stack or domain name is short before its *, unless the project records nothing more (and the widening says so)', function () {
  this.timeout(120_000);
  for (const dir of projects) {
    it(path.basename(dir), async () => {
      assertNamesSpecific(await generatePolicies({ projectDir: dir }), path.basename(dir));
    });
  }
});

describe('names of resources CloudFormation or a service names', function () {
  this.timeout(60_000);
  const example = (name: string): string | undefined =>
    exampleProjects().find((dir) => path.basename(dir) === name);

  it('the @searchable domain of examples/lpfull: amplify-opense-*, which covers the real generated names, reported with its rule', async function () {
    const lpfull = example('lpfull');
    if (!lpfull) this.skip();
    const result = await generatePolicies({ projectDir: lpfull });
    const domains = new Set(
      needs(result)
        .map((r) => r.resource)
        .filter((r) => r.includes(':es:') && r.includes(':domain/')),
    );
    assert.ok(domains.size > 0);
    for (const domain of domains) assert.match(domain, /:domain\/amplify-opense-\*(\/\*)?$/, domain);
    // Domain names CloudFormation gave real @searchable stacks (their public endpoints).
    for (const real of [
      'amplify-opense-1j63fdvnd3145',
      'amplify-opense-15yt42dqhtcb4',
      'amplify-opense-x35r0x76s3wi',
    ])
      assert.ok(
        covers(
          'arn:aws:es:us-east-1:123456789012:domain/amplify-opense-*',
          `arn:aws:es:us-east-1:123456789012:domain/${real}`,
        ),
      );
    const reported = result.widened.find((w) => w.pattern.endsWith(':domain/amplify-opense-*'));
    assert.match(
      reported?.cause ?? '',
      /AWS::Elasticsearch::Domain: CloudFormation names it <first 7 characters of the stack name>/,
    );
  });

  it("the SNS actions of an Amplify branch reach only the app's notification topics amplify-<appId>_* (IRASatUC, env dev)", async function () {
    const dir = path.join(CORPUS_DIR ?? '', 'IRASatUC__irasatuc.github.io');
    if (!CORPUS_DIR || !fs.existsSync(dir)) this.skip();
    const result = await generatePolicies({ projectDir: dir, envName: 'dev' });
    const topics = needs(result).filter(
      (r) => r.reason.resourceType === 'AWS::Amplify::Branch' && r.action.startsWith('sns:'),
    );
    assert.deepEqual([...new Set(topics.map((r) => r.action))].sort(), [
      'sns:CreateTopic',
      'sns:Subscribe',
      'sns:Unsubscribe',
    ]);
    assert.deepEqual(
      [...new Set(topics.map((r) => r.resource))],
      ['arn:aws:sns:us-east-1:123456789012:amplify-d204tih5wqzman_*'],
    );
    assert.ok(!result.widened.some((w) => w.pattern.includes(':sns:')), JSON.stringify(result.widened));
    assert.ok(!result.warnings.some(({ text: w }) => /Not granted: .*sns:/.test(w)));
    // Without a checked-out env the app id is unknown: left out, with the warning, never amplify-*.
    const unknown = await generatePolicies({ projectDir: dir });
    assert.ok(!needs(unknown).some((r) => r.resource.includes(':sns:')));
    assert.ok(
      unknown.warnings.some(({ text: w }) =>
        /Not granted: .*sns:CreateTopic \(hosting\/amplifyhosting: AWS::Amplify::Branch\)/.test(w),
      ),
    );
  });

  it('a resource without a built template is named from its cli-inputs.json (auth roles, S3 bucket of IMY772-2022__via-web)', async function () {
    const dir = path.join(CORPUS_DIR ?? '', 'IMY772-2022__via-web');
    if (!CORPUS_DIR || !fs.existsSync(dir)) this.skip();
    const result = await generatePolicies({ projectDir: dir });
    const roles = result.inventory.resources
      .filter((r) => r.category === 'auth')
      .flatMap((r) => r.cfnResources.filter((c) => c.type === 'AWS::IAM::Role').flatMap((c) => c.names));
    // cognitoConfig.sharedId 22e998c1, resourceNameTruncated viaweb22e998c1, root stack amplify-viaweb-dev-194052.
    assert.deepEqual(roles.sort(), [
      'sns22e998c1194052-dev',
      'upClientLambdaRole22e998c1194052-dev',
      'viaweb22e998c1_openid_lambda_role-dev',
      'viaweb22e998c1_totp_lambda_role-dev',
    ]);
    const buckets = result.inventory.resources
      .filter((r) => r.category === 'storage')
      .flatMap((r) => r.cfnResources.filter((c) => c.type === 'AWS::S3::Bucket').flatMap((c) => c.names));
    assert.deepEqual(buckets, ['viaweba3e7179aa111445aace0066c7bc6d2ce194052-dev']);
  });
});
