import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generatePolicies } from '../../src/engine';
import { FINDING_KINDS, WARNING_KINDS, warning, type WarningKind } from '../../src/results';
import { CORPUS_DIR, corpusProjects, exampleProjects } from '../support/paths';

describe('results: one table of warning and finding kinds, each with its resolution', () => {
  it('every kind says what it means and what to do, in a sentence', () => {
    for (const [kind, info] of Object.entries({ ...WARNING_KINDS, ...FINDING_KINDS })) {
      assert.ok(info.means.length > 10, kind);
      assert.match(info.resolution, /^[A-Z`].*[.)]$/, kind);
    }
  });

  it("a warning's text is what happened, then its kind's resolution", () => {
    const made = warning('no-template', 'function/fn has no template.');
    assert.deepEqual(made, {
      kind: 'no-template',
      text: 'function/fn has no template. Run `amplify build` and generate again.',
    });
  });

  it('the warnings of the corpus and the examples are of known kinds and end with their resolution', async function () {
    this.timeout(120000);
    const dirs = [...corpusProjects().map((name) => path.join(CORPUS_DIR ?? '', name)), ...exampleProjects()];
    const seen = new Set<WarningKind>();
    for (const dir of dirs) {
      const result = await generatePolicies({ projectDir: dir });
      for (const w of result.warnings) {
        assert.ok(Object.hasOwn(WARNING_KINDS, w.kind), w.kind);
        assert.ok(w.text.endsWith(` ${WARNING_KINDS[w.kind].resolution}`), w.text);
        seen.add(w.kind);
      }
    }
    // The corpus has projects never deployed, tables named by CloudFormation and folded names.
    if (CORPUS_DIR) for (const kind of ['not-deployed', 'widened'] as const) assert.ok(seen.has(kind), kind);
  });
});
