import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import type { Grant, Requirement } from '../../src/model';
import { covers } from '../../src/policy/arn-patterns';
import { conditionKey } from '../../src/policy/conditions';
import { CORPUS_DIR, corpusProjects, exampleProjects } from '../support/paths';

/**
 * Provenance as data, over every real project and example: the origins map assemblePolicies
 * returns leads each statement to exactly the grants it allows, every grant lands in exactly
 * one statement, and grants refer to shared groups of requirements instead of copies.
 */
const projects = [
  ...corpusProjects().map((name) => ({ label: name, dir: path.join(CORPUS_DIR ?? '', name) })),
  ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir })),
];

const key = (g: Grant): string => `${g.action} ${g.resource} ${conditionKey(g.condition)}`;

function checkOrigins(label: string, result: GenerateResult): void {
  assert.equal(result.origins.length, result.policies.length, label);
  const placed = new Map<Grant, string>();
  result.policies.forEach((policy, p) => {
    assert.equal(result.origins[p].length, policy.document.Statement.length, `${label} ${policy.name}`);
    policy.document.Statement.forEach((statement, s) => {
      const where = `${label} ${policy.name}/${statement.Sid}`;
      const grants = result.origins[p][s];
      assert.ok(grants.length > 0, `${where} has origins`);
      for (const grant of grants) {
        assert.ok(statement.Action.includes(grant.action), `${where}: ${grant.action}`);
        assert.ok(
          statement.Resource.some((resource) => covers(resource, grant.resource)),
          `${where}: ${grant.resource}`,
        );
        assert.equal(conditionKey(statement.Condition), conditionKey(grant.condition), where);
        assert.ok(!placed.has(grant), `${key(grant)} in ${placed.get(grant)} and ${where}`);
        placed.set(grant, where);
      }
      // Every action of the statement is there for some grant.
      for (const action of statement.Action)
        assert.ok(
          grants.some((g) => g.action === action),
          `${where}: ${action} has a grant`,
        );
    });
  });
  for (const grant of result.grants)
    assert.ok(placed.has(grant), `${label}: ${key(grant)} is in a statement`);
}

describe('origins: each statement leads back to its grants and their requirements', function () {
  this.timeout(120000);
  for (const { label, dir } of projects) {
    it(label, async () => {
      const result = await generatePolicies({ projectDir: dir });
      checkOrigins(label, result);
      // Grants are unique by (action, resource, condition) and carry at least one requirement each.
      const keys = result.grants.map(key);
      assert.equal(new Set(keys).size, keys.length, `${label}: grants are unique`);
      for (const grant of result.grants) {
        assert.ok(grant.origins.length > 0 && grant.origins.every((group) => group.length > 0), key(grant));
        for (const requirement of grant.origins.flat())
          assert.equal(
            requirement.resource === undefined || requirement.resource === grant.resource,
            true,
            `${key(grant)}: a requirement with its own ARN is granted on it`,
          );
      }
    });
  }

  it('grants scoped from the same requirements share one origin group (referenced, not copied)', async function () {
    const lpdemo = exampleProjects().find((dir) => dir.endsWith('lpdemo'));
    if (!lpdemo) this.skip();
    const result = await generatePolicies({ projectDir: lpdemo!, phases: ['push', 'init', 'delete'] });
    // Every requirement object is in exactly one group, whatever the number of ARNs it is granted on.
    const groups = new Set<readonly Requirement[]>(result.grants.flatMap((g) => g.origins));
    const members = [...groups].flat();
    assert.equal(new Set(members).size, members.length, 'a requirement belongs to one group');
    // A group granted on several ARNs (an action on every resource of another type) is the same array in each grant.
    const shared = [...groups].filter(
      (group) => result.grants.filter((g) => g.origins.includes(group)).length > 1,
    );
    assert.ok(shared.length > 0, 'some requirements are granted on several ARNs');
    const grantRefs = result.grants.reduce((n, g) => n + g.origins.length, 0);
    const flatPairs = result.grants.reduce((n, g) => n + g.origins.flat().length, 0);
    assert.ok(
      grantRefs < flatPairs,
      `${grantRefs} references stand for ${flatPairs} (grant, requirement) pairs`,
    );
  });
});
