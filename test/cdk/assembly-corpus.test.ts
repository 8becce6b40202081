import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateForAssembly, type CdkGenerateResult } from '../../src/cdk-engine';
import { documentSize } from '../../src/policy/render';
import { MANAGED_POLICY_MAX_CHARACTERS, MAX_MANAGED_POLICIES_PER_IDENTITY } from '../../src/policy/split';
import { cdkFixtures, realArnRequests, targetRequests, TEST_ACCOUNT } from '../support/cdk-requests';
import { deniedRequests } from '../support/simulate';

/**
 * Every committed assembly of a real CDK app or Amplify Gen 2 backend (test/fixtures/cdk, each
 * with its PROVENANCE.json) gives, for the CloudFormation execution role and for the deployer,
 * valid documents within IAM's limits that allow what deploying it does, on the ARNs its
 * resources really get, and nothing of the bootstrap roles' or other stacks' business.
 */
const fixtures = cdkFixtures();

/** Resource types whose delete destroys data (data/stateful-types.json), and their delete action. */
const STATEFUL_DELETES: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'dynamodb:DeleteTable',
  'AWS::S3::Bucket': 's3:DeleteBucket',
  'AWS::Cognito::UserPool': 'cognito-idp:DeleteUserPool',
  'AWS::Logs::LogGroup': 'logs:DeleteLogGroup',
};

describe('CDK assemblies: real apps give sufficient, scoped policies within IAM limits', function () {
  this.timeout(180_000);

  it('has at least ten real apps, each with its provenance and a permissive licence', () => {
    assert.ok(fixtures.length >= 10, `${fixtures.length} fixtures`);
    for (const { name, provenance } of fixtures) {
      assert.match(String(provenance.repository), /^[\w.-]+\/[\w.-]+$/, name);
      assert.match(String(provenance.commit), /^[0-9a-f]{40}$/, name);
      assert.ok(['MIT', 'MIT-0', 'Apache-2.0'].includes(String(provenance.licence)), name);
    }
  });

  it('commits no asset code and no machine path', () => {
    for (const { name, root, provenance } of fixtures) {
      for (const file of provenance.files as string[]) {
        assert.match(file, /(manifest|\.template|\.assets)\.json$/, `${name}: ${file}`);
        const text = fs.readFileSync(path.join(root, file), 'utf8');
        assert.doesNotMatch(text, /\/(tmp|work|home|root|Users)\//, `${name}: ${file}`);
      }
    }
  });

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      let result: CdkGenerateResult;
      let withDelete: CdkGenerateResult;
      before(async () => {
        const environment = { account: TEST_ACCOUNT, region: 'us-east-1' };
        result = await generateForAssembly({
          cdkOut: fixture.assemblyDir,
          cwd: fixture.assemblyDir,
          environment,
        });
        withDelete = await generateForAssembly({
          cdkOut: fixture.assemblyDir,
          cwd: fixture.assemblyDir,
          environment,
          phases: ['push', 'delete'],
        });
      });

      it('reads every stack and template of the manifest', () => {
        assert.ok(result.assembly.stacks.length >= 1);
        for (const stack of result.assembly.stacks) {
          assert.ok(stack.templates.length >= 1);
          assert.ok(stack.templates.every((t) => Object.keys(t.template.Resources).length > 0));
        }
        const exec = result.targets.find((t) => t.principal === 'execution-role');
        assert.ok(exec, 'an execution-role target');
        const types = new Set(
          exec.result.inventory.resources.flatMap((r) => r.cfnResources.map((c) => c.type)),
        );
        const declared = new Set(
          result.assembly.stacks.flatMap((s) =>
            s.templates.flatMap((t) =>
              Object.values(t.template.Resources).map((r) => (r as { Type: string }).Type),
            ),
          ),
        );
        assert.deepEqual([...types].sort(), [...declared].sort());
      });

      it('gives valid documents within the size and count limits, every action in IAM reference', () => {
        for (const { result: generated } of [...result.targets, ...withDelete.targets]) {
          assert.deepEqual(generated.findings, []);
          assert.deepEqual(generated.unknownTypes, []);
          assert.ok(
            generated.policies.length >= 1 && generated.policies.length <= MAX_MANAGED_POLICIES_PER_IDENTITY,
          );
          for (const policy of generated.policies) {
            assert.equal(policy.characters, documentSize(policy.document));
            assert.ok(
              policy.characters <= MANAGED_POLICY_MAX_CHARACTERS,
              `${policy.name}: ${policy.characters}`,
            );
            for (const statement of policy.document.Statement)
              for (const action of statement.Action) assert.ok(generated.iam.action(action), action);
          }
        }
      });

      it('grants the execution role no aws:CalledVia condition and nothing outside the stacks', () => {
        for (const target of result.targets.filter((t) => t.principal === 'execution-role')) {
          const text = JSON.stringify(target.result.policies.map((p) => p.document));
          assert.doesNotMatch(text, /aws:CalledVia/);
          assert.deepEqual(
            target.result.widened.filter((w) => w.cause.startsWith('outside the project')),
            [],
          );
        }
      });

      it('allows every handler action of every resource type present, on the real ARNs, as the execution role', async () => {
        for (const { target, phases } of [
          ...result.targets.map((target) => ({ target, phases: result.phases })),
          ...withDelete.targets.map((target) => ({ target, phases: withDelete.phases })),
        ].filter(({ target }) => target.principal === 'execution-role')) {
          const region = target.result.context.region;
          const real = realArnRequests(target, phases);
          assert.ok(
            real.length > 0 || target.result.inventory.resources.every((r) => r.cfnResources.length <= 2),
          );
          assert.deepEqual(await deniedRequests(target.result.policies, real, region), []);
          assert.deepEqual(await deniedRequests(target.result.policies, targetRequests(target), region), []);
        }
      });

      it("lets the deployer assume exactly the manifest's bootstrap roles, never the execution role", async () => {
        const deployer = result.targets.find((t) => t.principal === 'deployer')!;
        const region = deployer.result.context.region ?? 'us-east-1';
        const roles = result.assembly.stacks.flatMap((s) => [
          s.deployRoleArn,
          s.lookupRoleArn,
          ...s.fileAssets.map((a) => a.publishRoleArn),
          ...s.imageAssets.map((a) => a.publishRoleArn),
        ]);
        const named = [...new Set(roles.filter((arn): arn is string => arn !== undefined))];
        assert.ok(named.length > 0, 'the assembly uses bootstrap roles');
        const assume = (arn: string): { action: string; resource: string; why: string } => ({
          action: 'sts:AssumeRole',
          resource: arn,
          why: 'cdk deploy',
        });
        assert.deepEqual(await deniedRequests(deployer.result.policies, named.map(assume), region), []);
        const execRoles = [...new Set(result.assembly.stacks.flatMap((s) => s.executionRoleArn ?? []))];
        const other = `arn:aws:iam::${TEST_ACCOUNT}:role/someone-elses-role`;
        const refused = await deniedRequests(
          deployer.result.policies,
          [...execRoles, other].map(assume),
          region,
        );
        assert.equal(refused.length, execRoles.length + 1, refused.join('\n'));
      });

      it('grants deletes of resources that hold data only with the delete phase', () => {
        const actions = (generated: CdkGenerateResult): Set<string> =>
          new Set(
            generated.targets
              .filter((t) => t.principal === 'execution-role')
              .flatMap((t) =>
                t.result.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Action)),
              ),
          );
        const resources = result.targets.flatMap((t) =>
          t.result.inventory.resources.flatMap((r) => r.cfnResources),
        );
        for (const [type, action] of Object.entries(STATEFUL_DELETES)) {
          assert.ok(!actions(result).has(action), `${action} without the delete phase`);
          if (resources.some((c) => c.type === type && !c.retainedOnDelete))
            assert.ok(actions(withDelete).has(action), `${action} with the delete phase`);
        }
      });
    });
  }
});
