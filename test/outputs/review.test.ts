import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { explainStatements, formatExplanation } from '../../src/outputs/explain';
import { parseReview, reviewKey, reviewText } from '../../src/outputs/review';
import { CORPUS_DIR, corpusProjects, exampleProjects } from '../support/paths';

/**
 * The review (`<policy name>.md`) on every real project of the corpus and every example the
 * real CLI made: it names every granted action, reads back as what it grants, is the same
 * text for the same input, and reports the statements that hold several services.
 */
const projects = [
  ...corpusProjects().map((name) => ({ label: name, dir: path.join(CORPUS_DIR ?? '', name) })),
  ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir })),
];

const files = (result: GenerateResult): string[] => result.policies.map((p) => `${p.name}.json`);
const servicesOf = (actions: readonly string[]): Set<string> =>
  new Set(actions.map((a) => a.split(':')[0].toLowerCase()));

describe('outputs: the review beside the policy files (corpus and examples)', function () {
  this.timeout(120_000);
  for (const { label, dir } of projects) {
    it(`${label}: names every granted action on its patterns, and is the same text on a second run`, async () => {
      const result = await generatePolicies({ projectDir: dir });
      const review = reviewText(result, files(result));
      const granted = parseReview(review);
      for (const policy of result.policies)
        for (const statement of policy.document.Statement)
          for (const action of statement.Action)
            assert.ok(
              review.includes(`\`${action}\``),
              `${label}: ${action} (${statement.Sid}) is in the review`,
            );
      // Every grant reads back with its pattern and a reason: the review is what the policy grants.
      for (const grant of result.grants)
        assert.ok(
          granted.whys.get(reviewKey(grant.action, grant.resource)),
          `${label}: ${grant.action} on ${grant.resource} has a why`,
        );
      const again = await generatePolicies({ projectDir: dir });
      assert.equal(reviewText(again, files(again)), review);
    });

    it(`${label}: statements keep one service unless merging was needed, and the review says which`, async () => {
      const result = await generatePolicies({ projectDir: dir });
      const review = reviewText(result, files(result));
      const mixed = result.policies.flatMap((policy) =>
        policy.document.Statement.filter((s) => servicesOf(s.Action).size > 1).map((s) => s.Sid ?? ''),
      );
      if (!result.servicesMerged) {
        assert.deepEqual(mixed, [], `${label}: no statement mixes services when none had to`);
        assert.ok(!review.includes('## Statements that hold several services'));
        return;
      }
      // Merging was needed: one service per statement takes more documents than the policy has.
      const single = result.servicesMerged.documentsWithOneService;
      assert.ok(single === undefined || single > result.policies.length, `${label}: ${single} documents`);
      assert.ok(mixed.length > 0);
      const section = review.slice(review.indexOf('## Statements that hold several services'));
      assert.ok(section.startsWith('## Statements that hold several services'), label);
      for (const sid of mixed) assert.ok(section.includes(`\`${sid}\``), `${label}: ${sid} is reported`);
    });
  }

  it('is far shorter than explain on the examples (reasons grouped per pattern)', async function () {
    for (const name of ['lpdemo', 'lpfull']) {
      const dir = exampleProjects().find((d) => path.basename(d) === name);
      if (!dir) this.skip();
      const result = await generatePolicies({ projectDir: dir });
      const review = reviewText(result, files(result)).split('\n').length;
      const explain = formatExplanation(explainStatements(result)).split('\n').length;
      assert.ok(review < explain * 0.7, `${name}: review ${review} lines, explain ${explain}`);
    }
  });
});
