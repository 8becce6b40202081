import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allowedPrefix,
  foldNames,
  foldPattern,
  literalPrefix,
  type NameGroup,
} from '../../src/policy/fold-names';

const ANCHOR = 'amplify-lp-dev-12345';

/**
 * The fold as first written (merge the pair of neighbouring groups with the longest allowed
 * shared prefix, the first such pair on ties, until few enough groups): quadratic, kept here
 * as the definition foldNames must keep.
 */
function referenceFold(names: readonly string[], maxNames: number, anchors: readonly string[]): NameGroup[] {
  const commonPrefix = (values: readonly string[]): string => {
    const first = literalPrefix(values[0] ?? '');
    let length = first.length;
    for (const value of values) {
      let i = 0;
      while (i < length && value[i] === first[i]) i++;
      length = i;
    }
    return first.slice(0, length);
  };
  let groups: NameGroup[] = [...new Set(names)].sort().map((name) => ({ pattern: name, members: [name] }));
  while (groups.length > maxNames) {
    let best = -1;
    let bestLength = -1;
    for (let i = 0; i + 1 < groups.length; i++) {
      const prefix = commonPrefix([...groups[i].members, ...groups[i + 1].members]);
      if (prefix.length > bestLength && allowedPrefix(prefix, anchors)) {
        best = i;
        bestLength = prefix.length;
      }
    }
    if (best < 0) break;
    const members = [...groups[best].members, ...groups[best + 1].members];
    groups = [
      ...groups.slice(0, best),
      { pattern: foldPattern(members), members },
      ...groups.slice(best + 2),
    ];
  }
  return groups;
}

describe('passes: fold-names', () => {
  const table: ReadonlyArray<{ name: string; names: string[]; max: number; patterns: string[] }> = [
    {
      name: 'few enough names stay exact',
      names: ['fnalpha-dev', 'fnbeta-dev'],
      max: 2,
      patterns: ['fnalpha-dev', 'fnbeta-dev'],
    },
    {
      name: 'the closest neighbours fold first, their shared prefix and suffix kept',
      names: ['orders-table-dev', 'orders-queue-dev', 'users-table-dev'],
      max: 2,
      patterns: ['orders-*e-dev', 'users-table-dev'],
    },
    {
      name: 'no fold shorter than six characters',
      names: ['abc1', 'abc2', 'abd3'],
      max: 1,
      patterns: ['abc1', 'abc2', 'abd3'],
    },
    {
      name: 'never a prefix that stops inside the stack anchor',
      names: [`${ANCHOR}-authRole`, `${ANCHOR}-unauthRole`, 'amplify-other-thing'],
      max: 1,
      patterns: [`${ANCHOR}-*authRole`, 'amplify-other-thing'],
    },
    {
      name: 'a name with a wildcard folds on its literal prefix only',
      names: ['Orders-*-dev', 'Orders-abc-dev', 'Orders-xyz-dev'],
      max: 1,
      patterns: ['Orders-*-dev'],
    },
    {
      name: 'duplicates count once',
      names: ['queue-one', 'queue-one', 'queue-two'],
      max: 2,
      patterns: ['queue-one', 'queue-two'],
    },
  ];
  for (const { name, names, max, patterns } of table)
    it(name, () =>
      assert.deepEqual(
        foldNames(names, max, [ANCHOR]).map((g) => g.pattern),
        patterns,
      ),
    );

  it('equals the quadratic definition on random name lists (property)', () => {
    const part = fc.constantFrom(
      'fn',
      'fun',
      'function',
      'table',
      'tab',
      'amplify-',
      'lp-',
      'dev',
      '-',
      'x',
      'y',
      '1',
      '2',
      '*',
    );
    const name = fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (names, max) => {
        assert.deepEqual(foldNames(names, max, [ANCHOR]), referenceFold(names, max, [ANCHOR]));
      }),
      { numRuns: 500 },
    );
  });

  it('is not quadratic: 20,000 names fold into 8 groups (a count, not a time)', () => {
    const names = Array.from({ length: 20000 }, (_, i) => `syntheticfn${i}-dev`);
    const groups = foldNames(names, 8, [ANCHOR]);
    assert.ok(groups.length <= 8);
    assert.equal(
      groups.reduce((n, g) => n + g.members.length, 0),
      names.length,
    );
  });
});
