import porter2 from 'wink-porter2-stemmer';
import { fullWord } from './chat-abbreviations.js';
import { verbBase } from './irregular-verbs.js';
import { americanSpelling } from './spelling-variants.js';

/**
 * The word level of question reading, shared by coverage, synonyms and snippets: how text splits into words
 * and what each word's stem is.
 */

/**
 * "IT" in capitals, not beside another word in capitals ("IT IS", "READ IT"): the department, which lowercased is
 * the stop word "it". Read as "information technology", as lore.searchable_text writes it for full-text search
 * (migration 20261211000100, the same expression), so "who do I ask in IT?" and "the IT portal" share words.
 */
export const IT_DEPARTMENT = /(?<![A-Z]{2} )(?<![A-Za-z0-9])IT(?![A-Za-z0-9])(?! [A-Z]{2})/g;

/**
 * Lowercase words of a text (letters, digits, apostrophes inside words; "401(k)" → "401k"; "IT" the department →
 * "information technology"; a word chat shortens written out, "docs" → "documents", chat-abbreviations.ts).
 */
export function words(text: string): string[] {
  return (
    text
      .replace(IT_DEPARTMENT, 'information technology')
      .toLowerCase()
      .replace(/(\d)\((\w)\)/g, '$1$2')
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)
      ?.map(fullWord) ?? []
  );
}

/**
 * A word without its clitic: "where's" → "where", "we're" → "we", "i'd" → "i" (so the stop-word lists see
 * the word), and a negation ("didn't", "can't") → "not".
 */
export function withoutClitic(word: string): string {
  if (/n['’]t$/.test(word)) return 'not';
  return word.replace(/['’](?:s|re|ve|ll|d|m)$/, '');
}

/**
 * The Porter2 (Snowball English) stem of a lowercase word: the stemmer Postgres's 'english' text search
 * configuration uses, so the words counted here and the lexemes full-text search matched agree ("making" and
 * "make" → "make", "travelling" → "travel", "projects" → "project"). A British spelling is stemmed in its
 * American form ("licences" and "licenses" → "licens"), so a question and a passage spelled the other way agree
 * (spelling-variants.ts; full-text search matches the documents' own spelling), and an irregular verb form as its
 * base ("stole" and "stolen" → "steal", irregular-verbs.ts), which Porter2 leaves apart. Adding the other forms to
 * the full-text query too was measured and dropped: it reordered hits and cost answers (BENCHMARKS.md).
 */
export function stem(word: string): string {
  const w = withoutClitic(word);
  return /^[a-z]+$/.test(w) ? porter2(americanSpelling(verbBase(w))) : w;
}

/**
 * A word without its plural ending ("projects" → "project", "policies" → "policy", "taxes" → "tax"): how synonym
 * phrases are matched. Stems would join too much there ("allowed" and "allowance" share the stem "allow"), and
 * the map lists the other forms people type ("reimbursed", "quitting") itself.
 */
export function singular(word: string): string {
  const w = withoutClitic(word);
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}
