import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { loadCatalog } from '../../src/catalog/catalog';
import { writeCraftedProject } from '../support/crafted-project';
import { CORPUS_DIR, corpusProjects, REPO_ROOT } from '../support/paths';
import { needs } from '../support/grants';

/**
 * Actions of an optional sub-resource are granted only when the project has that sub-resource.
 * Amplify Gen 1 auth with a hosted UI creates no AWS::Cognito::UserPoolDomain: its
 * HostedUICustomResource Lambda creates the domain under its own role, so the deployer needs no
 * domain action (and none of the domain type's CloudFront and KMS actions).
 */
const DOMAIN_TYPE = 'AWS::Cognito::UserPoolDomain';
const DOMAIN_ACTIONS = [
  'cognito-idp:CreateUserPoolDomain',
  'cognito-idp:UpdateUserPoolDomain',
  'cognito-idp:DeleteUserPoolDomain',
];

const declares = (result: GenerateResult, type: string): boolean =>
  result.inventory.resources.some((r) => r.cfnResources.some((c) => c.type === type));
const grants = (result: GenerateResult, action: string): boolean =>
  needs(result).some((r) => r.action === action);

describe('sub-resources: a user pool domain is granted only when the project has one', function () {
  this.timeout(120_000);

  it('examples/lpfull: the real CLI builds the hosted UI as a custom resource whose Lambda role creates the domain', async () => {
    const dir = path.join(REPO_ROOT, 'examples', 'lpfull');
    const template = JSON.parse(
      fs.readFileSync(
        path.join(dir, 'amplify/backend/auth/lpfullauth/build/lpfullauth-cloudformation-template.json'),
        'utf8',
      ),
    ) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    assert.ok(!types.includes(DOMAIN_TYPE), 'no user pool domain resource');
    assert.equal(template.Resources.HostedUICustomResourceInputs.Type, 'Custom::LambdaCallout');
    assert.match(
      JSON.stringify(template.Resources.HostedUICustomResourcePolicy.Properties),
      /cognito-idp:CreateUserPoolDomain/,
      "the domain call is in the custom resource Lambda's own policy",
    );
    const result = await generatePolicies({ projectDir: dir });
    for (const action of [...DOMAIN_ACTIONS, 'cloudfront:UpdateDistribution'])
      assert.ok(
        !needs(result).some((r) => r.action === action && r.reason.resource.startsWith('auth/')),
        `${action} is not needed for auth`,
      );
    assert.ok(!grants(result, 'cognito-idp:CreateUserPoolDomain'));
  });

  it('an auth resource without a built template (its known template) has no user pool domain', async () => {
    const known = loadCatalog().knownTemplates['auth:Cognito'];
    assert.ok(!known.types.some((t) => t.type === DOMAIN_TYPE));
    const projectDir = writeCraftedProject({ backend: { auth: { lpauth: { service: 'Cognito' } } } });
    const result = await generatePolicies({ projectDir });
    assert.ok(declares(result, 'AWS::Cognito::UserPool'));
    assert.ok(!declares(result, DOMAIN_TYPE));
    for (const action of DOMAIN_ACTIONS) assert.ok(!grants(result, action), `${action} is not granted`);
  });

  it('a template that declares a user pool domain gets its handler actions', async () => {
    const projectDir = writeCraftedProject({
      resources: { Domain: { Type: DOMAIN_TYPE, Properties: { Domain: 'lp', UserPoolId: 'x' } } },
    });
    const result = await generatePolicies({ projectDir });
    assert.ok(grants(result, 'cognito-idp:CreateUserPoolDomain'));
    assert.ok(
      !grants(result, 'cloudfront:UpdateDistribution'),
      'a prefix domain has no distribution of its own',
    );
  });

  it('corpus: no project is granted a domain action unless one of its templates declares a user pool domain', async () => {
    for (const name of corpusProjects()) {
      const result = await generatePolicies({ projectDir: path.join(CORPUS_DIR ?? '', name) });
      if (!declares(result, DOMAIN_TYPE))
        for (const action of DOMAIN_ACTIONS) assert.ok(!grants(result, action), `${name}: ${action}`);
    }
  });
});
