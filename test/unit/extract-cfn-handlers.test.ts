import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_DIR, HANDLERS_DIR } from '../../src/catalog/catalog';
import {
  extractServiceFiles,
  pointerToPath,
  readSchemas,
  serializeServiceFile,
  type CuratedFile,
  type ServiceFile,
} from '../../scripts/extract-cfn-handlers';

const COMMIT = 'a'.repeat(40);
const curated: CuratedFile = {
  types: {
    'AWS::Demo::Legacy': {
      provenance: { source: 'curated', kind: 'curated-legacy-no-handlers', note: 'from the API reference' },
      handlers: {
        create: ['demo:CreateLegacy'],
        delete: ['demo:DeleteLegacy'],
        list: ['demo:ListLegacy'],
      } as never,
    },
    'AWS::Demo::NotInRegistry': {
      provenance: { source: 'curated', kind: 'curated-no-service-calls' },
      handlers: { create: [] },
    },
  },
};
/** Schemas in the registry's shape, written for this test. */
const schemas = [
  {
    path: 'aws-cloudformation-schema/aws-demo-widget.json',
    schema: {
      typeName: 'AWS::Demo::Widget',
      createOnlyProperties: ['/properties/Name', '/properties/Keys/*/Name', '/definitions/Ignored'],
      handlers: {
        create: { permissions: ['demo:CreateWidget', 'demo:TagResource', 'demo:CreateWidget'] },
        read: { permissions: ['demo:GetWidget'] },
        update: { permissions: ['demo:UpdateWidget'] },
        delete: { permissions: ['demo:DeleteWidget'] },
        list: { permissions: ['demo:ListWidgets'] },
      },
    },
  },
  { path: 'aws-cloudformation-schema/aws-demo-legacy.json', schema: { typeName: 'AWS::Demo::Legacy' } },
  { path: 'aws-cloudformation-schema/aws-demo-bare.json', schema: { typeName: 'AWS::Demo::Bare' } },
  {
    path: 'aws-cloudformation-schema/aws-other-thing.json',
    schema: { typeName: 'AWS::Other::Thing', handlers: { create: { permissions: ['other:Create'] } } },
  },
];

describe('scripts/extract-cfn-handlers: the registry schemas → data/cfn-handler-permissions/', () => {
  const files = extractServiceFiles(schemas, COMMIT, curated);
  const demo = files.get('aws-demo.json') as ServiceFile;

  it('groups the types by service, one file each, with the repository and commit', () => {
    assert.deepEqual([...files.keys()].sort(), ['aws-demo.json', 'aws-other.json']);
    assert.deepEqual(Object.keys(demo.types), [
      'AWS::Demo::Bare',
      'AWS::Demo::Legacy',
      'AWS::Demo::NotInRegistry',
      'AWS::Demo::Widget',
    ]);
    assert.equal(demo.source.commit, COMMIT);
  });

  it("copies create/read/update/delete verbatim (duplicates removed, list left out) with the type's path", () => {
    assert.deepEqual(demo.types['AWS::Demo::Widget'], {
      provenance: {
        source: 'pulumi/pulumi-aws-native',
        path: 'aws-cloudformation-schema/aws-demo-widget.json',
        commit: COMMIT,
        kind: 'registry-schema-handlers',
      },
      handlers: {
        create: ['demo:CreateWidget', 'demo:TagResource'],
        read: ['demo:GetWidget'],
        update: ['demo:UpdateWidget'],
        delete: ['demo:DeleteWidget'],
      },
      createOnlyProperties: ['Name', 'Keys.*.Name'],
    });
  });

  it('takes the curated entry where the schema has no handlers, and marks the rest as unknown', () => {
    assert.deepEqual(demo.types['AWS::Demo::Legacy'], {
      provenance: curated.types['AWS::Demo::Legacy'].provenance,
      handlers: { create: ['demo:CreateLegacy'], delete: ['demo:DeleteLegacy'] },
    });
    assert.equal(demo.types['AWS::Demo::Bare'].handlers, undefined);
    assert.equal(demo.types['AWS::Demo::Bare'].provenance.kind, 'registry-schema-no-handlers');
    assert.deepEqual(demo.types['AWS::Demo::NotInRegistry'].handlers, { create: [] });
  });

  it('writes one line per type, and reads back what it wrote', () => {
    const text = serializeServiceFile(demo);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(demo)));
    assert.equal(text.split('\n').filter((line) => line.startsWith('    "AWS::')).length, 4);
    assert.equal(pointerToPath('/properties/A/0/B'), 'A.0.B');
    assert.equal(pointerToPath('/definitions/A'), undefined);
  });

  it('stored data equals a fresh extraction of the checkout in CFN_SCHEMA_CHECKOUT', function () {
    const checkout = process.env.CFN_SCHEMA_CHECKOUT;
    if (!checkout) {
      console.log(
        '    (skipped: set CFN_SCHEMA_CHECKOUT=path/to/pulumi-aws-native at the recorded commit to compare)',
      );
      this.skip();
    }
    const dir = path.join(DATA_DIR, HANDLERS_DIR);
    const stored = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    const commit = (JSON.parse(fs.readFileSync(path.join(dir, stored[0]), 'utf8')) as ServiceFile).source
      .commit;
    const storedCurated = JSON.parse(
      fs.readFileSync(path.join(DATA_DIR, 'cfn-handler-permissions.curated.json'), 'utf8'),
    ) as CuratedFile;
    const fresh = extractServiceFiles(readSchemas(checkout), commit, storedCurated);
    assert.deepEqual([...fresh.keys()].sort(), stored.sort());
    for (const [name, file] of fresh)
      assert.equal(serializeServiceFile(file), fs.readFileSync(path.join(dir, name), 'utf8'), name);
  });
});
