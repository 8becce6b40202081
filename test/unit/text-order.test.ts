import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { compareIgnoringCaseFirst, compareText } from '../../src/text-order';

const english = new Intl.Collator('en');
const sign = (n: number): number => Math.sign(n);

/** Printable ASCII, with the characters our names are made of drawn more often. */
const printable = fc.oneof(
  { arbitrary: fc.constantFrom(...'aAbBzZ09-_:/*.'), weight: 3 },
  { arbitrary: fc.integer({ min: 32, max: 126 }).map((code) => String.fromCharCode(code)), weight: 2 },
);
const text = fc.array(printable, { maxLength: 12 }).map((chars) => chars.join(''));

describe('compareText: the order of localeCompare under English, without ICU', () => {
  it('orders every pair of printable ASCII characters as ICU does', () => {
    for (let x = 32; x < 127; x++)
      for (let y = 32; y < 127; y++) {
        const [a, b] = [String.fromCharCode(x), String.fromCharCode(y)];
        assert.equal(
          compareText(a, b),
          sign(english.compare(a, b)),
          `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
        );
      }
  });

  it('orders random ASCII strings, their prefixes and case variants as ICU does', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        for (const [x, y] of [
          [a, b],
          [a, a + b],
          [a.toUpperCase(), a],
          [a + b.toUpperCase(), a.toUpperCase() + b],
        ])
          assert.equal(
            compareText(x, y),
            sign(english.compare(x, y)),
            `${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
          );
      }),
      { numRuns: 20000 },
    );
  });

  it('orders case-insensitively, then by case, as the lowercased comparison did', () => {
    const before = (x: string, y: string): number =>
      sign(english.compare(x.toLowerCase(), y.toLowerCase())) || sign(english.compare(x, y));
    fc.assert(
      fc.property(text, text, (a, b) => {
        for (const [x, y] of [
          [a, b],
          [a.toUpperCase(), a],
          [`${a}é`, `${b}É`],
        ])
          assert.equal(
            compareIgnoringCaseFirst(x, y),
            before(x, y),
            `${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
          );
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with ICU when other characters come anywhere (combining marks, control characters, accents)', () => {
    const other = fc.constantFrom('\u0301', '\u0338', '\u0001', '\t', 'é', 'É', 'ß', '≮', '–', '×', '\u00a0');
    const mixed = fc
      .array(fc.oneof({ arbitrary: printable, weight: 4 }, { arbitrary: other, weight: 1 }), {
        maxLength: 10,
      })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(mixed, mixed, text, (a, b, c) => {
        for (const [x, y] of [
          [a, b],
          [c + a, c + b],
          [a + c, b + c],
          [c + 'a' + a, c + 'b' + b],
        ])
          assert.equal(
            compareText(x, y),
            sign(english.compare(x, y)),
            `${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
          );
      }),
      { numRuns: 20000 },
    );
  });

  it('hands other characters to the collator (control characters are ignored, accents ordered)', () => {
    assert.equal(compareText('a\u0001', 'a'), 0);
    assert.equal(compareText('é', 'f'), -1);
    assert.equal(compareText('e', 'é'), -1);
  });

  it('is the same order under any locale (Estonian sorts z before t, and ž with it)', () => {
    const script = `const { compareText } = require(${JSON.stringify(require.resolve('../../src/text-order'))});
      process.stdout.write(JSON.stringify(['z', 'ž', 's', 't'].sort(compareText)));`;
    const estonian = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'et_EE.UTF-8', LANG: 'et_EE.UTF-8' },
    });
    assert.equal(estonian.status, 0, estonian.stderr);
    assert.deepEqual(JSON.parse(estonian.stdout), ['s', 't', 'z', 'ž']);
  });

  it('sorts real ARNs exactly as localeCompare does', () => {
    const arns = [
      'arn:aws:iam::123456789012:role/amplify-lpdemo-dev-12345-*',
      'arn:aws:iam::123456789012:role/TodoIAMRolecfd440-*-dev',
      'arn:aws:iam::123456789012:role/lpdemoLambdaRole5ad040ea-dev',
      'arn:aws:s3:::amplify-lpdemo-dev-12345-deployment/*',
      'arn:aws:s3:::amplify-lpdemo-dev-12345-deployment',
      'arn:aws:appsync:us-east-1:123456789012:apis/*',
      'arn:aws:appsync:us-east-1:123456789012:*',
    ];
    assert.deepEqual([...arns].sort(compareText), [...arns].sort(english.compare));
  });
});
