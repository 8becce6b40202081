import * as assert from 'node:assert/strict';
import { physicalNames, type TemplateScope } from '../../src/inventory/cfn-resources';
import { generatedNamePattern } from '../../src/inventory/template-scope';
import { buildArns, covers, nameInArn } from '../../src/policy/arn-patterns';
import { loadIamReference, type IamReference } from '../../src/policy/iam-reference';
import { arnSuffixes, loadCatalog } from '../../src/catalog/catalog';

const catalog = loadCatalog();
const names = catalog.resourceNames;
const stack = 'amplify-lpfull-dev-12345-functionlpfn-1ABCDEFGHIJK';
const scope: TemplateScope = {
  parameters: { env: 'dev' },
  conditions: {},
  region: 'us-east-1',
  accountId: '123456789012',
  partition: 'aws',
  stackName: stack,
  generatedName: generatedNamePattern(stack, names.generatedNames.stackNamePrefixLength),
};
const KINDS = Object.keys((names.generatedNames as unknown as { kinds: Record<string, string> }).kinds);

describe('data/cfn-resource-names.json: the name of every resource type', () => {
  let iam: IamReference;
  before(async () => {
    iam = await loadIamReference(
      [],
      Object.values(names.types).map((rule) => rule.arnType),
    );
  });

  it('matches the generated name CloudFormation gave a real function (nested stack of amplify-my-request-dev-133235)', () => {
    const real = 'amplify-my-request-dev-13-UpdateRolesWithIDPFuncti-150M0V1TK1Q98';
    const pattern = generatedNamePattern('amplify-my-request-dev-133235-authmyrequest-1XYZ', 25);
    assert.equal(pattern, 'amplify-my-request-dev-13*');
    assert.ok(covers(pattern, real));
  });

  for (const [type, rule] of Object.entries(names.types)) {
    it(`${type}: ${rule.nestedStack ? 'nested stack' : (rule.generated ?? 'stack-prefix')} name in an ARN IAM knows`, () => {
      const formats = iam.formats(rule.arnType);
      assert.ok(formats.length > 0, `${rule.arnType} has ARN formats`);
      if (rule.generated && rule.generated !== 'stack-prefix') {
        assert.ok(KINDS.includes(rule.generated), rule.generated);
        assert.ok(
          (rule.source ?? '').length > 20,
          'a rule other than the stack prefix says where it comes from',
        );
      }
      const generated = physicalNames(type, {}, scope, names, 'MyLogicalId');
      const expected = rule.nestedStack
        ? [`${stack}-*`]
        : {
            'stack-prefix': ['amplify-lpfull-dev-12345-*'],
            'logical-id': ['MyLogicalId-*'],
            random: ['*'],
            uncertain: ['*'],
            'stack-and-logical-id-cut': [`amplify-${'MyLogicalId'.slice(0, rule.cut?.logicalId)}-*`],
          }[rule.generated ?? 'stack-prefix'].map((n) => (rule.lowercase ? n.toLowerCase() : n));
      assert.deepEqual(generated, expected);
      if (rule.nameProperty) {
        const declared = physicalNames(type, { [rule.nameProperty]: 'Given-Name-dev' }, scope, names);
        assert.deepEqual(declared, [rule.lowercase ? 'given-name-dev' : 'Given-Name-dev']);
      }
      // The name lands in the ARN's name field, where the envelope reads it back.
      const format = formats[0];
      const [arn] = buildArns(
        format,
        { Partition: 'aws', Region: 'us-east-1', Account: '123456789012' },
        generated,
      );
      assert.equal(nameInArn(format, arn), generated[0], arn);
    });
  }

  for (const [type, created] of Object.entries(names.serviceCreated?.types ?? {}))
    for (const { arnType, name, source } of created)
      it(`${type}: what the service creates (${arnType} ${name}) has an ARN IAM knows, a source, and a name tied to the resource`, async () => {
        const reference = await loadIamReference([], [arnType]);
        assert.ok(reference.formats(arnType).length > 0, arnType);
        assert.ok(source.length > 20, 'says where the name rule comes from');
        // A literal start, then a variable of the resource's: never a bare pattern.
        assert.match(name, /^[A-Za-z0-9_-]{3,}\$\{\w+\}/);
      });

  it('idAttributes: only types whose id is assigned at creation and recorded by the env, each with its CloudFormation source', () => {
    for (const [type, rule] of Object.entries(names.types)) {
      if (!rule.idAttributes) continue;
      assert.equal(rule.generated, 'random', type);
      assert.ok((rule.deployedOutputs ?? []).length > 0, type);
      assert.match(
        (rule as { idAttributesSource?: string }).idAttributesSource ?? '',
        /^https:\/\/docs\.aws\.amazon\.com\//,
        type,
      );
    }
  });

  it('arnSuffix: only on types whose ARN type IAM knows, with excepted actions of that service IAM knows and an AWS documentation source; the engine grants the suffixed ARN for all other actions', async () => {
    const suffixed = Object.entries(names.types).filter(([, rule]) => rule.arnSuffix);
    assert.ok(suffixed.length > 0);
    for (const [type, rule] of suffixed) {
      const suffix = rule.arnSuffix!;
      assert.ok(iam.formats(rule.arnType).length > 0, type);
      assert.match(suffix.source, /https:\/\/docs\.aws\.amazon\.com\//, type);
      const service = rule.arnType.split(':')[0];
      const reference = await loadIamReference(suffix.exceptActions, [], arnSuffixes(names));
      for (const action of suffix.exceptActions) {
        assert.equal(action.split(':')[0], service, `${type}: ${action}`);
        const info = reference.action(action);
        assert.ok(info, `${type}: ${action} is an IAM action`);
        // An excepted action keeps the reference's own format.
        const own = info.resourceTypes.find(
          (t) => `${service}:${t.key}`.toLowerCase() === rule.arnType.toLowerCase(),
        );
        assert.equal(own?.suffix, undefined, `${type}: ${action}`);
      }
    }
    // Any other action on the type gets the suffix (logs:PutRetentionPolicy on log-group:<name>:*).
    const logs = await loadIamReference(['logs:PutRetentionPolicy'], [], arnSuffixes(names));
    const group = logs.action('logs:PutRetentionPolicy')?.resourceTypes.find((t) => t.key === 'log-group');
    assert.equal(group?.suffix, ':*');
  });
});
