import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { applyOverrides, overrideRequirements } from '../../src/overrides/apply-overrides';
import { deploymentNames } from '../../src/discovery/deployment-names';
import {
  handWrittenScope,
  placeOf,
  projectEnvelope,
  type HandWrittenScope,
  type PlaceCheck,
} from '../../src/policy/envelope';
import { buildNameRegistry } from '../../src/policy/name-registry';
import { loadCatalog } from '../../src/catalog/catalog';
import { parseOverrides, withGrant, NO_OVERRIDES } from '../../src/overrides/overrides-file';
import { loadIamReference, type IamReference } from '../../src/policy/iam-reference';
import type { Grant } from '../../src/model';
import { needs } from '../support/grants';
import { REPO_ROOT } from '../support/paths';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');

describe("overrides: the envelope's check of hand-written ARNs and the merge (pure, on examples/lpdemo)", function () {
  this.timeout(60_000);
  let result: GenerateResult;
  let envelope: HandWrittenScope;
  let iam: IamReference;
  before(async () => {
    result = await generatePolicies({ projectDir: LPDEMO });
    const catalog = loadCatalog();
    iam = await loadIamReference(
      Object.values(ACTION_OF),
      Object.values(catalog.resourceNames.types).map((rule) => rule.arnType),
    );
    envelope = handWrittenScope(
      projectEnvelope(
        deploymentNames(result.context),
        catalog.resourceNames.generatedNames.stackNamePrefixLength,
      ),
      buildNameRegistry(result.inventory, catalog, iam, result.context.deployedOutputs),
    );
  });

  /** An action that acts on each kind of ARN below (the envelope judges the ARN as that action's resource). */
  const ACTION_OF: Record<string, string> = {
    ssm: 'ssm:GetParameter',
    dynamodb: 'dynamodb:DescribeTable',
    's3:::amplify': 's3:GetObject',
    lambda: 'lambda:GetFunction',
    s3: 's3:ListBucket',
    iam: 'iam:PassRole',
    cloudformation: 'cloudformation:DescribeStacks',
  };
  const actionFor = (arn: string): string =>
    arn.startsWith('arn:aws:s3:::amplify')
      ? ACTION_OF['s3:::amplify']
      : (ACTION_OF[arn.split(':')[2]] ?? 'lambda:GetFunction');
  const insideProject = (arn: string): PlaceCheck => placeOf(actionFor(arn), arn, iam, envelope);

  const INSIDE = [
    'arn:aws:ssm:us-east-1:123456789012:parameter/amplify/d1234567890abc/dev/AMPLIFY_x',
    'arn:aws:s3:::amplify-lpdemo-dev-12345-deployment/*',
    'arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev',
    'arn:aws:s3:::lpbucket1234512345-dev',
    'arn:aws:iam::123456789012:role/amplify-lpdemo-dev-12345-authRole',
    'arn:aws:cloudformation:us-east-1:123456789012:stack/amplify-lpdemo-dev-12345-functionlpfn-1ABC/*',
  ];

  it('accepts ARNs of the project: its stacks, bucket, app id and template names', () => {
    for (const arn of INSIDE) assert.deepEqual(insideProject(arn), { inside: true }, arn);
  });

  it("accepts the project's own name patterns that generate grants too, saying which widening they are", () => {
    const table = result.grants.find((g) => g.resource.includes(':table/Todo-*'))?.resource ?? '';
    assert.match(table, /table\/Todo-\*-dev/);
    const place = placeOf('dynamodb:DescribeTable', table, iam, envelope);
    assert.equal(place.inside, true);
    assert.match(place.reason ?? '', /GraphQLApi: id assigned at creation/);
  });

  it('refuses *, other partitions, accounts, regions, wildcards there, and names of nothing in the project', () => {
    const cases: Array<[string, RegExp]> = [
      ['*', /every resource/],
      ['lpfn-dev', /not an ARN/],
      ['arn:aws-cn:lambda:cn-north-1:123456789012:function:lpfn-dev', /partition aws-cn/],
      ['arn:aws:lambda:us-east-1:*:function:lpfn-dev', /account is a wildcard/],
      ['arn:aws:lambda:*:123456789012:function:lpfn-dev', /region is a wildcard/],
      ['arn:aws:lambda:us-east-1:123456789012:function:*', /names nothing of the project/],
      ['arn:aws:lambda:us-east-1:123456789012:function:other-team-fn', /names nothing of the project/],
      // Wider than the project's bucket lpbucket1234512345-dev, or another bucket.
      ['arn:aws:s3:::lpbucket12345*', /names nothing of the project/],
      ['arn:aws:s3:::lpbucket12345abcd-dev', /names nothing of the project/],
    ];
    for (const [arn, reason] of cases) {
      const place = insideProject(arn);
      assert.equal(place.inside, false, arn);
      assert.match(place.reason ?? '', reason, arn);
    }
  });

  it('every inside ARN moved to another account or region is outside (mutation)', () => {
    for (const arn of INSIDE) {
      const parts = arn.split(':');
      if (parts[4]) {
        const other = [...parts.slice(0, 4), '210987654321', ...parts.slice(5)].join(':');
        assert.match(insideProject(other).reason ?? '', /account 210987654321/, other);
      }
      if (parts[3]) {
        const other = [...parts.slice(0, 3), 'ap-south-1', ...parts.slice(4)].join(':');
        assert.match(insideProject(other).reason ?? '', /region ap-south-1/, other);
      }
    }
  });

  it('grants apply to their env and phases only; exclusions by env; partial overlaps are reported, not applied', async () => {
    const overrides = parseOverrides(
      JSON.stringify({
        version: 1,
        grants: [
          {
            actions: ['kms:Decrypt'],
            resources: ['arn:aws:kms:us-east-1:123456789012:key/k1'],
            reason: 'our key',
            phases: ['push'],
          },
          {
            actions: ['kms:Decrypt'],
            resources: ['arn:aws:kms:us-east-1:123456789012:key/k2'],
            reason: 'prod key',
            env: 'prod',
          },
        ],
        exclusions: [
          {
            actions: ['s3:Put*'],
            resources: ['arn:aws:s3:::amplify-lpdemo-dev-12345-deployment/x'],
            reason: 'narrower than the grant',
          },
          {
            actions: ['lambda:*'],
            resources: ['arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev'],
            reason: 'prod only',
            env: 'prod',
          },
        ],
      }),
    );
    const iam = await loadIamReference(['kms:Decrypt'], []);
    const pull = overrideRequirements(overrides, iam, { env: 'dev', phases: ['pull'], envelope });
    assert.deepEqual(pull.grants, []);
    const push = overrideRequirements(overrides, iam, { env: 'dev', phases: ['push', 'pull'], envelope });
    assert.deepEqual(
      needs(push).map((r) => [r.action, r.resource, r.phase, r.reason.via]),
      [['kms:Decrypt', 'arn:aws:kms:us-east-1:123456789012:key/k1', 'push', 'override']],
    );
    assert.match(
      push.warnings.map((w) => w.text).join('\n'),
      /grants\[0\] grants kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key\/k1, outside the project/,
    );
    const computed: Grant[] = result.grants.filter((g) =>
      g.origins.flat().every((r) => r.reason.via !== 'override'),
    );
    const applied = applyOverrides(computed, overrides, push, 'dev');
    assert.equal(applied.excluded.length, 0);
    assert.equal(applied.grants.length, computed.length + 1);
    assert.match(
      applied.warnings.map((w) => w.text).join('\n'),
      /exclusions\[0\] matches part of s3:Put\w+ on arn:aws:s3:::amplify-lpdemo-dev-12345-deployment\/\*, which is kept/,
    );
    const prod = applyOverrides(computed, overrides, push, 'prod');
    assert.ok(
      prod.excluded.length > 0 &&
        prod.excluded.every((e) => e.exclusion === 1 && e.action.startsWith('lambda:')),
    );
  });

  it('withGrant adds a grant once', () => {
    const grant = {
      actions: ['kms:Decrypt'],
      resources: ['arn:aws:kms:us-east-1:123456789012:key/k1'],
      reason: 'x',
    };
    const once = withGrant(NO_OVERRIDES, grant);
    assert.equal(once.added, true);
    const twice = withGrant(once.overrides, { ...grant, reason: 'y' });
    assert.equal(twice.added, false);
    assert.equal(twice.overrides.grants.length, 1);
  });
});
