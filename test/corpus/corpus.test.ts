import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { covers } from '../../src/policy/arn-patterns';
import { documentSize } from '../../src/policy/render';
import { MANAGED_POLICY_MAX_CHARACTERS, MAX_MANAGED_POLICIES_PER_IDENTITY } from '../../src/policy/split';
import { grantRequests } from '../support/concrete-arns';
import { CORPUS_DIR, corpusProjects, exampleProjects } from '../support/paths';
import { coreRequests, projectFacts, resourceRequests } from '../support/real-requests';
import { deniedRequests, type SimulatedRequest } from '../support/simulate';

/**
 * Every real project of the corpus (../shared/corpus/real) and every example the real CLI
 * made (examples/) must give valid documents within IAM's limits that allow what a push of
 * that project does, on the ARNs its resources really get.
 */
const projects = [
  ...corpusProjects().map((name) => ({ label: name, dir: path.join(CORPUS_DIR ?? '', name) })),
  ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir })),
];

/** Every grant the engine derived, instantiated on a concrete ARN, with its condition's context. */
const requirementRequests = (result: GenerateResult): SimulatedRequest[] =>
  grantRequests(result, (grant) =>
    grant.origins
      .slice(0, 3)
      .map(([{ reason }]) => `${reason.resource}: ${reason.detail}`)
      .join('; '),
  );

describe('corpus: every real project gives a sufficient policy within IAM limits', function () {
  this.timeout(120_000);
  for (const project of projects) {
    describe(project.label, () => {
      let result: GenerateResult;
      before(async () => {
        result = await generatePolicies({ projectDir: project.dir });
      });

      it('gives valid documents within the size and count limits', () => {
        assert.deepEqual(result.findings, []);
        assert.ok(result.policies.length >= 1 && result.policies.length <= MAX_MANAGED_POLICIES_PER_IDENTITY);
        for (const policy of result.policies) {
          assert.equal(policy.characters, documentSize(policy.document));
          assert.ok(
            policy.characters <= MANAGED_POLICY_MAX_CHARACTERS,
            `${policy.name}: ${policy.characters}`,
          );
        }
      });

      it('lists every backend-config resource in the inventory', () => {
        assert.ok(result.inventory.resources.some((r) => r.category === 'awscloudformation'));
        assert.ok(result.inventory.resources.length >= 2, 'root stack and at least one resource');
      });

      it('allows the push on the real ARNs: stack, deployment bucket, parameters, functions, roles, tables, buckets', async () => {
        const facts = projectFacts(project.dir);
        const requests = [...coreRequests(facts), ...resourceRequests(project.dir, facts)];
        const denied = await deniedRequests(result.policies, requests, facts.region);
        assert.deepEqual(denied, []);
      });

      it('allows every CloudFormation handler action of every resource type present', async () => {
        const requests = requirementRequests(result);
        assert.ok(
          requests.some((r) => r.context?.['aws:CalledVia']),
          'handler actions are simulated through CloudFormation',
        );
        assert.deepEqual(await deniedRequests(result.policies, requests, result.context.region), []);
      });

      it('grants provisioning actions only through CloudFormation', async () => {
        // Every grant tied to aws:CalledVia: allowed through CloudFormation, denied when called directly.
        const provisioning = requirementRequests(result).filter((r) => r.context?.['aws:CalledVia']);
        assert.ok(provisioning.length > 0, 'the project deploys something through CloudFormation');
        assert.deepEqual(await deniedRequests(result.policies, provisioning, result.context.region), []);
        // ...except what the project also needs directly (the CLI's own calls on the same ARN).
        const alsoDirect = (r: SimulatedRequest): boolean =>
          result.grants.some(
            (g) =>
              g.action === r.action &&
              !JSON.stringify(g.condition ?? {}).includes('aws:CalledVia') &&
              covers(g.resource, r.resource),
          );
        const direct = provisioning
          .filter((r) => !alsoDirect(r))
          .map((r) => {
            const context = { ...r.context };
            delete context['aws:CalledVia'];
            return { ...r, context, why: `${r.why} (called directly)` };
          });
        const denied = await deniedRequests(result.policies, direct, result.context.region);
        assert.ok(direct.length > 0, 'some grants are for CloudFormation only');
        assert.equal(denied.length, direct.length, 'none is allowed without CloudFormation');
      });
    });
  }
});
