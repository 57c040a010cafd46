import { createRequire } from 'node:module';

/**
 * British spellings read as their American form ("licence" → "license", "organisation" → "organization",
 * "cancelled" → "canceled"): 1,738 words with their inflections, from the `american-british-english-translator`
 * package (MIT). A handbook written in one spelling and a question typed in the other shared no word for the
 * gate: "got points on my license" counted "license" as missing from "penalty points on your licence", and the
 * question was declined. Stems and word rarity read both spellings as one word. Full-text search is left as it
 * is: the question's other words find the passage (writing both spellings into the websearch query with `or`
 * would bind the `or` to its neighbours only, `a & b | c & d`, and SciFact's nDCG@10 fell 0.686 → 0.641).
 */
let toAmerican: Map<string, string> | null = null;

/** A lowercase word in its American spelling ("licences" → "licenses"); any other word as it is. */
export function americanSpelling(word: string): string {
  // Read once on first use (a few milliseconds).
  toAmerican ??= new Map(
    Object.entries(
      createRequire(import.meta.url)(
        'american-british-english-translator/data/british_spellings.json',
      ) as Record<string, string>,
    ),
  );
  return toAmerican.get(word) ?? word;
}
