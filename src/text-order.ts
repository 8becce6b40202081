/**
 * The one order of text in everything we write: the order of `localeCompare` under English
 * (CLDR's root collation: punctuation, then digits, then letters with case ignored, lowercase
 * first on a tie), without loading ICU. ICU's collator costs about 5 ms to set up on every cold
 * start, and `localeCompare` follows the user's locale, so that two machines could order the
 * same files differently; this order is the same everywhere.
 *
 * Printable ASCII, which is what ARNs, actions, Sids and resource types are made of, is compared
 * here from a table; any other character hands the pair to an English `Intl.Collator`, created
 * on first need. test/text-order.test.ts checks the table against ICU on random strings.
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

/**
 * A text's sort key, compared as plain code units: each character's primary weight as one
 * character (all above U+0020), U+0001, then per character `1` for a capital and `0` otherwise.
 * A shorter primary sequence ends first at U+0001; equal ones compare their cases, lowercase
 * first, as the collator does. null for a text outside the table. Sorting compares each text
 * many times: its key is made once, and kept while the keys kept hold fewer than KEPT_CHARACTERS.
 */
function sortKey(text: string): string | null {
  let key = keys.get(text);
  if (key !== undefined) return key;
  if (UNTABLED.test(text)) key = null;
  else {
    let primary = '';
    let cases = '';
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      primary += String.fromCharCode(0x20 + PRIMARY[code]);
      cases += code >= 65 && code <= 90 ? '1' : '0';
    }
    key = `${primary}\u0001${cases}`;
  }
  if (kept > KEPT_CHARACTERS) {
    keys.clear();
    kept = 0;
  }
  keys.set(text, key);
  kept += 2 * text.length;
  return key;
}
const keys = new Map<string, string | null>();
const KEPT_CHARACTERS = 8_000_000;
let kept = 0;

/** -1, 0 or 1: `a.localeCompare(b, 'en')`, for sorting. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka === null || kb === null) return Math.sign(collator().compare(a, b));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Case-insensitive order, then case: `compareText(a.toLowerCase(), b.toLowerCase()) ||
 * compareText(a, b)` (how action names sort). For texts in the table that is compareText itself,
 * whose first level ignores case.
 */
export function compareIgnoringCaseFirst(a: string, b: string): number {
  if (a === b) return 0;
  if (sortKey(a) !== null && sortKey(b) !== null) return compareText(a, b);
  return compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b);
}
