/**
 * The one order of text in everything we write: the order of `localeCompare` under English
 * (CLDR's root collation: punctuation, then digits, then letters with case ignored, lowercase
 * first on a tie), without loading ICU. ICU's collator costs about 5 ms to set up on every cold
 * start, and `localeCompare` follows the user's locale, so that two machines could order the
 * same files differently; this order is the same everywhere.
 *
 * Printable ASCII, which is what ARNs, actions, Sids and resource types are made of, is compared
 * here from a table; any other character hands the pair to an English `Intl.Collator`, created
 * on first need. test/unit/text-order.test.ts checks the table against ICU on random strings.
 */

/** Printable ASCII in the collator's order; a lowercase letter and its capital share a place. */
const ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';

/** Primary weight (1-based) by character code; 0 where the table does not decide. */
const PRIMARY: Uint8Array = (() => {
  const weights = new Uint8Array(128);
  for (let i = 0; i < ORDER.length; i++) {
    const code = ORDER.charCodeAt(i);
    weights[code] = i + 1;
    if (code >= 97 && code <= 122) weights[code - 32] = i + 1; // the capital
  }
  return weights;
})();

let english: Intl.Collator | undefined;
const collator = (): Intl.Collator => (english ??= new Intl.Collator('en'));

/** A character outside the table (a regular expression scans faster than a loop of ours). */
const UNTABLED = /[^\x20-\x7e]/;

/** The character at `i` (if any) is outside the table. */
const untabledAt = (text: string, i: number): boolean =>
  i < text.length && (text.charCodeAt(i) >= 128 || PRIMARY[text.charCodeAt(i)] === 0);

/**
 * -1, 0 or 1: `a.localeCompare(b, 'en')`, for sorting. The first position where the texts'
 * primary weights differ decides, once every character up to it and the one after it (which
 * could combine with it) is in the table; a case difference before it counts only when the
 * texts are otherwise equal. Texts with any other character go to the collator.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const common = Math.min(a.length, b.length);
  let caseOrder = 0; // the first difference of case only, which counts when nothing else differs
  for (let i = 0; i < common; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x >= 128 || y >= 128 || PRIMARY[x] === 0 || PRIMARY[y] === 0) return byCollator(a, b);
    if (x === y) continue;
    const px = PRIMARY[x];
    const py = PRIMARY[y];
    if (px !== py) {
      if (untabledAt(a, i + 1) || untabledAt(b, i + 1)) return byCollator(a, b);
      return px < py ? -1 : 1;
    }
    if (caseOrder === 0) caseOrder = x > y ? -1 : 1; // lowercase (the higher code) first
  }
  const longer = a.length > b.length ? a : b;
  if (UNTABLED.test(longer.slice(common))) return byCollator(a, b);
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return caseOrder;
}

const byCollator = (a: string, b: string): number => Math.sign(collator().compare(a, b));

/**
 * Case-insensitive order, then case: `compareText(a.toLowerCase(), b.toLowerCase()) ||
 * compareText(a, b)` (how action names sort). For texts in the table that is compareText itself,
 * whose first level ignores case.
 */
export function compareIgnoringCaseFirst(a: string, b: string): number {
  if (a === b) return 0;
  if (!UNTABLED.test(a) && !UNTABLED.test(b)) return compareText(a, b);
  return compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b);
}
