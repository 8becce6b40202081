import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploymentNames } from '../../src/discovery/deployment-names';
import { readProjectContext } from '../../src/discovery/project-context';
import { generatePolicies } from '../../src/engine';
import { buildInventory } from '../../src/inventory/build-inventory';
import { loadCatalog } from '../../src/catalog/catalog';
import { CORPUS_DIR } from '../support/paths';
import { needs } from '../support/grants';

/** Discovery and inventory on the corpus shapes the issue names, one real project each. */
const corpus = (name: string): string => path.join(CORPUS_DIR ?? '', name);
const inventoryOf = (name: string) => buildInventory(readProjectContext(corpus(name)), loadCatalog());
const resource = (name: string, key: string) =>
  inventoryOf(name).resources.find((r) => `${r.category}/${r.name}` === key);

describe('discovery and inventory on real project shapes', function () {
  before(function () {
    if (!CORPUS_DIR) {
      console.log('    (skipped: ../shared/corpus/real is not beside this checkout)');
      this.skip();
    }
  });

  it('reads region, account, stack, bucket and app id from team-provider-info.json', () => {
    const context = readProjectContext(corpus('IMY772-2022__via-web'));
    assert.equal(context.envName, 'dev');
    assert.equal(context.region, 'eu-west-1');
    assert.equal(context.accountId, '123456789012');
    assert.equal(context.rootStackName, 'amplify-viaweb-dev-194052');
    assert.equal(context.deploymentBucket, 'amplify-viaweb-dev-194052-deployment');
    assert.equal(context.appId, 'd2ux2cwqlfzdy9');
    assert.ok(
      context.warnings.some(({ text: w }) =>
        w.includes('using the only env in team-provider-info.json: dev'),
      ),
    );
  });

  it('falls back to the narrowest patterns, with a warning, when nothing is deployed or recorded', () => {
    const context = readProjectContext(corpus('CovDx__covdx-app'));
    assert.equal(context.region, undefined);
    const names = deploymentNames(context);
    assert.equal(names.Region, '*');
    assert.equal(names.RootStackName, 'amplify-*-*-*');
    assert.equal(names.DeploymentBucket, 'amplify-*-*-*-deployment');
    assert.ok(context.warnings.some(({ text: w }) => w.includes('region (ARNs use * for the region)')));
  });

  it('reads 2018 projects that have only amplify-meta.json, and their YAML templates', () => {
    const inventory = inventoryOf('AemiliaTeam__amplify-angular-starter');
    const keys = inventory.resources.map((r) => `${r.category}/${r.service}`);
    assert.deepEqual(keys, [
      'awscloudformation/RootStack',
      'auth/Cognito',
      'analytics/Pinpoint',
      'hosting/S3AndCloudFront',
    ]);
    const auth = inventory.resources[1];
    assert.equal(auth.typesFrom, 'templates');
    assert.deepEqual(
      [...new Set(auth.cfnResources.map((c) => c.type))],
      ['AWS::Cognito::IdentityPool', 'AWS::Cognito::IdentityPoolRoleAttachment'],
    );
    assert.ok(
      inventory.warnings.some(({ text: w }) =>
        w.includes('pinpoint-cloudformation-template.json is not valid JSON'),
      ),
    );
  });

  it('handles imported auth: no resources of its own, the import lookups in the policy', async () => {
    const auth = resource('priyasvaliya__Query-Engine', 'auth/reacttest2e1f0fb3');
    assert.equal(auth?.imported, true);
    assert.deepEqual(auth?.cfnResources, []);
    const result = await generatePolicies({ projectDir: corpus('priyasvaliya__Query-Engine') });
    assert.ok(needs(result).some((r) => r.action === 'cognito-idp:DescribeUserPool'));
  });

  it('reads user-invented categories through their templates (queue/SQS in YAML)', () => {
    const queue = resource('tylercurtispohl__amazon-price-watcher', 'queue/priceWatcherQueue');
    assert.equal(queue?.typesFrom, 'templates');
    assert.ok(queue?.cfnResources.some((c) => c.type === 'AWS::SQS::Queue'));
  });

  it('names custom CDK resources without a built template in a warning', () => {
    const inventory = inventoryOf('Purecon__cross-stack-admin-app');
    assert.ok(
      inventory.warnings.some(({ text: w }) =>
        w.includes('custom/customImport (service customCDK): no CloudFormation template'),
      ),
    );
  });

  it('uses the known template for container hosting and for an unbuilt AppSync API plus its stacks/', () => {
    const hosting = resource('ruralinnovation__amplify-react-frontend', 'hosting/ElasticContainer');
    assert.equal(hosting?.typesFrom, 'known-template');
    assert.ok(hosting?.cfnResources.some((c) => c.type === 'AWS::ECS::Service'));
    const api = resource('MatchUp-Berlin__matchup', 'api/matchup');
    assert.ok(api?.cfnResources.some((c) => c.type === 'AWS::DynamoDB::Table'));
    assert.deepEqual(api?.templateFiles, ['amplify/backend/api/matchup/stacks/CustomResources.json']);
  });

  it('reads category-level templates (api/APIGatewayAuthStack.json) and tolerates empty categories', () => {
    const inventory = inventoryOf('yunwei37__gplates-wasm-web');
    const authStack = inventory.resources.find((r) => r.name === 'APIGatewayAuthStack');
    assert.ok(authStack?.cfnResources.some((c) => c.type === 'AWS::IAM::ManagedPolicy'));
    assert.ok(!inventory.resources.some((r) => r.category === 'interactions'), 'interactions is empty');
  });

  it('resolves names from templates with their env suffix and parameters', () => {
    const layer = resource(
      'aws-samples__amazon-verified-permissions-iot-amplify-smart-home-application',
      'function/awsiotavpwebappAVPPermissionsLayer',
    );
    assert.deepEqual(
      [
        ...new Set(
          layer?.cfnResources.filter((c) => c.type === 'AWS::Lambda::LayerVersion').flatMap((c) => c.names),
        ),
      ],
      ['awsiotavpwebappAVPPermissionsLayer-*'],
    );
    const fn = resource('IMY772-2022__via-web', 'auth/viaweb22e998c1');
    assert.equal(fn?.typesFrom, 'known-template');
  });

  it('reads the env of the checked-out project when local-env-info.json exists', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-env-'));
    fs.cpSync(corpus('IMY772-2022__via-web'), copy, { recursive: true });
    fs.writeFileSync(
      path.join(copy, 'amplify', '.config', 'local-env-info.json'),
      JSON.stringify({ envName: 'staging' }),
    );
    const context = readProjectContext(copy);
    assert.equal(context.envName, 'staging');
    assert.equal(context.rootStackName, undefined, 'staging is not in team-provider-info.json');
    assert.equal(deploymentNames(context).RootStackName, 'amplify-viaweb-staging-*');
  });
});
