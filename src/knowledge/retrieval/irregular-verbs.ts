import irregularVerbs from 'wink-lexicon/src/irregular-verbs.js';

/**
 * The base form of an irregular verb form ("stole" and "stolen" → "steal", "paid" → "pay", "bought" → "buy"), from
 * wink-lexicon's list (English irregular verbs, MIT): the stemmer leaves them apart ("stole", "stolen"), so "someone
 * stole my laptop" and a passage on "lost or stolen laptops" shared no word.
 */

// Forms that are more often another word than the verb's past ("the ground floor", "a flu shot", "rent", "a wound",
// "on the left", "felt" the fabric), and the list's mistakes ("drug" → "drag", "crew" → "crow"): read as written.
// "broke" and "broken" too: a handbook's "break" is mostly a rest ("lunch break"), not a broken laptop.
const NOT_THE_VERB = new Set(
  `ground bound found wound fell felt left lit might rose spoke dove bore bit shot drunk fed saw sawed sawn lay laid
  lain rent drug crew shore stove hung strung won broke broken`.split(/\s+/),
);

/** The verb's base form when `word` (lowercase) is an irregular form of one, else `word`. */
export function verbBase(word: string): string {
  if (NOT_THE_VERB.has(word)) return word;
  return irregularVerbs[word] ?? word;
}
