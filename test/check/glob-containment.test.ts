import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { uncoveredGrants } from '../../src/check/coverage';
import { containmentCounterexample, globContains, patternContains } from '../../src/check/glob-containment';
import type { Grant } from '../../src/model';

/** IAM glob matching of whole strings, written independently of the module under test. */
function globRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's');
}
const matches = (pattern: string, text: string): boolean => globRegExp(pattern).test(text);

/** Every string over the alphabet up to the length. */
function allStrings(alphabet: readonly string[], maxLength: number): string[] {
  const out = [''];
  let layer = [''];
  for (let length = 1; length <= maxLength; length++) {
    layer = layer.flatMap((prefix) => alphabet.map((c) => prefix + c));
    out.push(...layer);
  }
  return out;
}

// Patterns over {a, b, :, *, ?}; strings over {a, b, :, c} (c: a character no pattern names).
const STRINGS = allStrings(['a', 'b', ':', 'c'], 7);
const pattern = fc
  .array(fc.constantFrom('a', 'b', ':', '*', '?'), { maxLength: 5 })
  .map((chars) => chars.join(''));

/** The brute-force oracle: a string up to length 7 that inner matches and outer does not. */
function bruteCounterexample(outer: string, inner: string): string | undefined {
  const [outerRe, innerRe] = [globRegExp(outer), globRegExp(inner)];
  return STRINGS.find((s) => innerRe.test(s) && !outerRe.test(s));
}

const requirement = (resource: string): Grant => ({
  action: 'lambda:CreateFunction',
  resource,
  origins: [],
});
const allow = (Resource: string | string[], extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'lambda:CreateFunction', Resource, ...extra }],
});

describe('guard: glob containment (a needed * is any name)', () => {
  it('agrees with a brute-force oracle on every pair of small patterns', () => {
    fc.assert(
      fc.property(pattern, pattern, (outer, inner) => {
        const witness = containmentCounterexample(outer, inner);
        const brute = bruteCounterexample(outer, inner);
        if (witness === undefined) {
          assert.equal(brute, undefined, `contained, yet "${brute}" matches ${inner} and not ${outer}`);
        } else {
          // The algorithm's own counterexample proves non-containment exactly.
          assert.ok(matches(inner, witness), `"${witness}" should match ${inner}`);
          assert.ok(!matches(outer, witness), `"${witness}" should not match ${outer}`);
        }
        assert.equal(globContains(outer, inner), witness === undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('is reflexive and transitive, and * contains everything', () => {
    fc.assert(
      fc.property(pattern, pattern, pattern, (a, b, c) => {
        assert.ok(globContains(a, a));
        assert.ok(globContains('*', a));
        if (globContains(a, b) && globContains(b, c)) assert.ok(globContains(a, c), `${a} ⊇ ${b} ⊇ ${c}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('a ? is one character: it never covers a needed *', () => {
    assert.equal(globContains('fn-?', 'fn-*'), false);
    assert.equal(globContains('fn-*', 'fn-?'), true);
    assert.equal(globContains('a?c', 'abc'), true);
    assert.equal(globContains('a?c', 'a*c'), false);
    assert.equal(globContains('*-dev', 'fn*-dev'), true);
    assert.equal(globContains('fn*-dev', '*-dev'), false);
  });

  it('ARNs: a wildcard stays inside its segment (region, account), the resource part is one glob', () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:a-dev';
    assert.ok(patternContains('arn:aws:lambda:*:123456789012:function:*', fn));
    assert.ok(
      !patternContains(
        'arn:aws:lambda:us-*:123456789012:function:a-dev',
        'arn:aws:lambda:*:123456789012:function:a-dev',
      ),
    );
    assert.ok(patternContains('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b/*'));
    assert.ok(!patternContains('arn:aws:lambda:us-east-1:123456789012:function:*', '*'));
    assert.ok(patternContains('*', fn));
  });

  it('check: a policy with ? does not cover a needed *; a Deny that may apply counts against', () => {
    const needed = requirement('arn:aws:lambda:eu-west-1:123456789012:function:fn-*');
    assert.equal(
      uncoveredGrants([needed], [allow('arn:aws:lambda:eu-west-1:123456789012:function:fn-?')]).length,
      1,
    );
    assert.equal(
      uncoveredGrants([needed], [allow('arn:aws:lambda:eu-west-1:123456789012:function:fn-*')]).length,
      0,
    );
    const deny = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: 'lambda:*',
          Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:fn-b',
        },
      ],
    };
    assert.equal(
      uncoveredGrants([needed], [allow('arn:aws:lambda:eu-west-1:123456789012:function:*'), deny]).length,
      1,
      'fn-b is one of the names fn-* stands for',
    );
    const denyAllBut = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotAction: 'lambda:*', Resource: '*' }],
    };
    assert.equal(
      uncoveredGrants([needed], [allow('arn:aws:lambda:eu-west-1:123456789012:function:*'), denyAllBut])
        .length,
      0,
      'a Deny of everything but lambda leaves lambda alone',
    );
  });
});
