import type { AskedAbout } from '../../ai/answer.types.js';
import { type AskedObject, askedThing, holdsObject, weightiestAsked } from './asked-object.js';
import type { ContentWords } from './question-terms.js';
import type { Situation } from './situation-words.js';
import type { CosineCache } from './soft-coverage.js';
import type { TermWeights } from './term-weights.js';

/**
 * Least cosine of a passage word for it to stand for the weightiest word of what is asked: "costs" for "fees"
 * (0.74), "rent" not for "deposit" (0.44). Lower than for a thing named after "is there a …" (asked-object.ts,
 * 0.7): this word is only the rarest one asked, often a paraphrase. 0.5 and 0.6 measured alike (BENCHMARKS.md,
 * nineteenth session); 0.7 lost an answer ("can I stay home to look after her?").
 */
const MIN_WEIGHTIEST_COSINE = 0.6;

export interface HitsRead {
  question: string;
  situation: Situation;
  /** The question's topic words by term, and its term weights with the situation's (and times) weighing nothing. */
  typed: ReadonlyMap<string, string>;
  askedWeights: TermWeights;
  /** Each hit's terms and content words, and the indexes of the hits next to it in its document. */
  hitTerms: ReadonlyArray<ReadonlySet<string>>;
  hitWords: ReadonlyArray<ContentWords>;
  groups: ReadonlyArray<number[]>;
  /** Each hit's coverage of the whole message, situation included. */
  wholeCoverages: ReadonlyArray<number>;
  cosines: CosineCache;
  topHits: number;
  /**
   * Whether the reply shows each hit (it is part of one of the passages quoted): what is said to be held or not
   * ("I couldn't find anything about …") is said of these, which may reach past the top hits the gate reads when
   * adjacent chunks of one document make one passage.
   */
  shown: ReadonlyArray<boolean>;
  minTermCoverage: number;
}

export interface QuotableHits {
  /** `quotable[i]` false: hit i may not make the reply confident by its words (still close and relevant). */
  quotable: boolean[];
  /**
   * What is asked about, and whether a hit shown holds it: one that none holds, if any (the reply names it), else
   * the thing named.
   */
  askedAbout: AskedAbout | null;
  /** What is asked points back at the situation, and whether a hit shown holds a word of it. */
  pointsBack: { held: boolean; told: string } | null;
}

/**
 * Which hits may be quoted as the answer when no model judges them (only the top ones are judged, so only they
 * are read):
 * - "is there a bonus…": only a hit (or a chunk next to it) holding the thing named, or a word related to it: its
 *   head and each other word of it the word vectors know ("does the 401k allow Roth contributions?" is not answered
 *   by a passage on pension contributions; asked-object.ts `askedThing`); "what is the gym stipend…": the words
 *   before its head;
 * - a message telling a situation, covered by what is asked alone: only a hit holding the weightiest word of
 *   what is asked, or a near one ("will the roaming charges be paid back?" is not answered by a passage on phones
 *   holding the rest), and, when what is asked points back at the situation ("… for that?"), a word of the
 *   situation (situation-words.ts). A hit covering the whole message needs neither.
 */
export function quotableHits(read: HitsRead): QuotableHits {
  const { situation, hitTerms, hitWords, cosines } = read;
  const holds = (thing: AskedObject | null, minCosine?: number) =>
    read.hitTerms.map(
      (_, i) =>
        !thing ||
        inGroup(read, i, (j) =>
          holdsObject(thing, hitTerms[j] ?? new Set(), hitWords[j] ?? [], cosines, minCosine),
        ),
    );
  const asked = askedThing(read.question);
  const named = asked.words;
  const holdsEach = named.map((word) => holds(word));
  const holdsNamed = hitTerms.map((_, i) => holdsEach.every((held) => held[i] as boolean));
  const weightiest = situation.terms.size
    ? weightiestAsked(read.question, read.typed, read.askedWeights)
    : null;
  const holdsWeightiest = holds(weightiest, MIN_WEIGHTIEST_COSINE);
  const situationWords = [...situation.terms].filter((t) => !situation.when.has(t));
  const holdsSituation = hitTerms.map(
    (_, i) =>
      !situation.pointsBack || inGroup(read, i, (j) => situationWords.some((t) => hitTerms[j]?.has(t))),
  );
  const quotable = holdsNamed.map(
    (held, i) =>
      held &&
      (((holdsSituation[i] as boolean) && (holdsWeightiest[i] as boolean)) ||
        (read.wholeCoverages[i] as number) >= read.minTermCoverage),
  );
  const inShown = (held: boolean[]) => held.some((h, i) => h && read.shown[i]);
  const about = (thing: AskedObject | null, held: boolean[], isNamed: boolean) =>
    thing ? { word: thing.typed, held: inShown(held), named: isNamed } : null;
  // The thing named is shown by its first word no hit shown holds ("Roth"); when each is held, but by different hits,
  // by all its words ("free breakfast": one passage says "free", another "breakfast"); else by its head. Asked what it
  // is, by all its words ("dress code"): the head was not looked for.
  const unheld = named.find((_, k) => !inShown(holdsEach[k] as boolean[]));
  const head = named.at(-1);
  const whole =
    head && (named.length > 1 || asked.presupposed) && !inShown(holdsNamed)
      ? { ...head, typed: asked.typed }
      : undefined;
  const missing = asked.presupposed ? whole : (unheld ?? whole);
  const namedAbout = about(missing ?? head ?? null, holdsNamed, true);
  const weightiestAbout = about(weightiest, holdsWeightiest, false);
  return {
    quotable,
    // The one no hit shown holds is what the reply and the playground name; else the named one.
    askedAbout: [namedAbout, weightiestAbout].find((a) => a?.held === false) ?? namedAbout ?? weightiestAbout,
    pointsBack: situation.pointsBack ? { held: inShown(holdsSituation), told: situation.told } : null,
  };
}

/** Whether `test` holds for hit i or a chunk next to it; hits past the top ones, and not shown, are not judged (true). */
function inGroup(read: HitsRead, i: number, test: (j: number) => boolean): boolean {
  return (i >= read.topHits && !read.shown[i]) || (read.groups[i] ?? [i]).some(test);
}
