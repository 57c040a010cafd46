/**
 * Country names as a member types them ("can I work from Brazil for a month?"), lowercase: a passage on working
 * "from another country" or "abroad" answers such a question without naming the country (soft-coverage.ts). One
 * word each, read from Node's ICU region names (no list of our own to keep); names that are more often another
 * word ("jersey", "chad", "jordan", "georgia") and regions that are no country a member goes to are left out.
 */
const NOT_A_DESTINATION = new Set(
  'eurozone antarctica jersey guernsey jordan chad georgia sark guinea niger mali togo dominica'.split(' '),
);

let names: Set<string> | null = null;

/** Every two-letter region code's English name that is one word, lowercase. */
function countryNames(): Set<string> {
  if (names) return names;
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  const found = new Set<string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = display.of(code);
      // A code ICU knows no region for comes back as itself ("AA").
      if (!name || name === code) continue;
      const word = name.toLowerCase();
      if (/^\p{L}+$/u.test(word) && !NOT_A_DESTINATION.has(word)) found.add(word);
    }
  }
  names = found;
  return found;
}

/** Whether a word (lowercase, as typed) names a country. */
export const isCountryName = (word: string): boolean => countryNames().has(word);
