import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { covers, withoutCovered } from '../../src/policy/arn-patterns';

/** The definition, every pair compared: what the indexed withoutCovered must return. */
const naive = (patterns: readonly string[]): string[] => {
  const unique = [...new Set(patterns)].sort();
  return unique.filter(
    (pattern) =>
      !unique.some((other) => other !== pattern && covers(other, pattern) && !covers(pattern, other)),
  );
};

describe('withoutCovered: indexed by literal prefix, same result as comparing every pair', () => {
  it('property: equals the pairwise definition on random glob patterns', () => {
    const pattern = fc
      .array(fc.constantFrom('a', 'b', ':', '/', '-', '*', '?'), { maxLength: 8 })
      .map((chars) => `arn:aws:s3:::${chars.join('')}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(pattern, fc.constant('*')), { maxLength: 30 }), (patterns) => {
        assert.deepEqual(withoutCovered(patterns), naive(patterns));
      }),
      { seed: 20260926, numRuns: 2000 },
    );
  });
});
