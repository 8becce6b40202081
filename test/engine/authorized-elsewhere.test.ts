import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { REPO_ROOT, copyToTemp } from '../support/paths';

/**
 * Handler actions a service authorizes on an ARN other than the resource's own
 * (data/cfn-handler-additions.json `resource`): AppSync's tag-on-create, denied on
 * arn:aws:appsync:<region>:<account>:* in amplify-cli#5618.
 */
const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const ACCOUNT_WIDE = 'arn:aws:appsync:us-east-1:123456789012:*';
const VIA_CFN = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } };

const tagOnCreate = (result: GenerateResult) =>
  result.grants.filter((g) => g.action === 'appsync:TagResource' && g.resource === ACCOUNT_WIDE);

describe('handler actions authorized on an ARN of their own (tag-on-create)', () => {
  it('push grants appsync:TagResource on the account and region through CloudFormation only, reported as a widening', async () => {
    const result = await generatePolicies({ projectDir: LPDEMO, phases: ['push'] });
    const grants = tagOnCreate(result);
    assert.equal(grants.length, 1);
    assert.deepEqual(grants[0].condition, VIA_CFN);
    const reason = grants[0].origins[0][0].reason;
    assert.equal(reason.resource, 'api/lpapi');
    assert.equal(reason.resourceType, 'AWS::AppSync::GraphQLApi');
    assert.deepEqual(reason.operations, ['create']);
    assert.equal(reason.source, 'data/cfn-handler-additions.json');
    const widened = result.widened.find((w) => w.pattern === ACCOUNT_WIDE);
    assert.ok(widened, 'reported under widened');
    assert.deepEqual(widened.resources, ['api/lpapi']);
    const statement = result.policies
      .flatMap((p) => p.document.Statement)
      .find((s) => [s.Resource].flat().includes(ACCOUNT_WIDE));
    assert.ok(statement);
    assert.deepEqual(
      [statement.Action].flat(),
      ['appsync:TagResource'],
      'nothing else shares the account-wide ARN',
    );
  });

  it('is not granted to phases that create nothing (pull, codegen)', async () => {
    const result = await generatePolicies({ projectDir: LPDEMO, phases: ['pull', 'codegen'] });
    assert.deepEqual(tagOnCreate(result), []);
  });

  it('follows the tag trimming rule: without stack tags or Tags the API is created untagged', async () => {
    const dir = copyToTemp(LPDEMO);
    try {
      fs.writeFileSync(path.join(dir, 'amplify', 'backend', 'tags.json'), '[]\n');
      const untagged = await generatePolicies({ projectDir: dir, phases: ['push'] });
      assert.deepEqual(tagOnCreate(untagged), []);
      assert.ok(untagged.trimmed.some((t) => t.action === 'appsync:TagResource'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not granted for a project without an AppSync API', async () => {
    const result = await generatePolicies({
      projectDir: path.join(REPO_ROOT, 'examples', 'lpimport'),
      phases: ['push'],
    });
    assert.equal(result.grants.filter((g) => g.action === 'appsync:TagResource').length, 0);
  });
});
