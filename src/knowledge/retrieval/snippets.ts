import { expectedAnswerType, sentenceFitsType } from './answer-type.js';
import { readSentences, type Sentence } from './passage-sentences.js';
import { topicWords } from './question-terms.js';
import { phraseRarity } from './word-rarity.js';

export interface SnippetOptions {
  /** Longest snippet, in characters (whole sentences; one longer sentence is cut at a word). */
  maxChars: number;
  /** Most sentences picked for matching the question (a neighbour or heading may be added within maxChars). */
  maxSentences: number;
}

/** A quote's length unless the caller asks for another. */
export const DEFAULT_SNIPPET: SnippetOptions = { maxChars: 420, maxSentences: 3 };

// A heading's words count for the sentences under it at this share: "When you leave" makes "You can buy your
// laptop at its depreciated value" the answer to "can I keep my laptop when I leave".
const HEADING_SHARE = 0.5;

// A matched sentence holding what the question's answer type looks like ("how long": a span of time) gains this
// share of the heaviest topic word's weight: of two sentences on the topic, the one that can answer comes first.
// 0.5 and 1 measured alike (BENCHMARKS.md, twenty-first session).
const ANSWER_TYPE_SHARE = 0.5;

// A heading that matched is quoted with this many lines of its section ("Cancelling transit benefit": the steps,
// which rarely repeat its words). 4 and 6 measured alike (BENCHMARKS.md, twenty-sixth session).
const SECTION_LINES = 4;

/**
 * A query-focused snippet of a passage: its sentences that best match the question, in reading order, with
 * "…" where text was skipped. A sentence scores the summed weight of the question's topic words it holds, plus
 * half the weight of those only its section heading holds. A word weighs its rarity in everyday English
 * (word-rarity.ts) times its rarity among the passage's sentences (idf within the passage), so the sentence with
 * the rare, specific word wins over the one repeating the topic; a sentence shaped like the answer asked for ("how
 * long": "four weeks") gains a little more (answer-type.ts). A heading is ranked as a sentence is, and when picked
 * is quoted with the first lines of its section (a heading alone is never quoted); a heading that matched is shown
 * before its sentence, and the sentence after the best one is added when it fits (answers
 * often run on), then the sentences around the matched ones while they fit (`fillAround`). Lines are sentences
 * too (list items); a table row is one, read and shown with its table's column names, and a table whose column
 * names match while no row names the asker's case is quoted whole, rows in order, as far as it fits, each row on a
 * line of its own. Falls back to the passage's start when nothing matches.
 */
export function querySnippet(question: string, passage: string, opts: Partial<SnippetOptions> = {}): string {
  const o = { ...DEFAULT_SNIPPET, ...opts };
  const sentences = readSentences(passage);
  // The question's topic words, synonyms as one meaning ("payday" finds the sentence about salary).
  const typed = topicWords(question);
  const weight = new Map<string, number>();
  for (const [t, word] of typed) {
    const df = sentences.filter((s) => s.terms.has(t)).length;
    const rarity = phraseRarity(word);
    weight.set(t, rarity * Math.log(1 + sentences.length / Math.max(1, df)));
  }
  const score = (s: Sentence) => {
    const head = sentences[s.under]?.terms;
    const columns = sentences[s.header]?.terms;
    let sum = 0;
    for (const [t, w] of weight) {
      if (s.terms.has(t)) sum += w;
      else if (head?.has(t) || columns?.has(t)) sum += HEADING_SHARE * w;
    }
    return sum;
  };
  const type = expectedAnswerType(question);
  const typeBonus = ANSWER_TYPE_SHARE * Math.max(0, ...weight.values());
  const holdsTopicWord = (s: Sentence) => [...weight.keys()].some((t) => s.terms.has(t));
  // Only a sentence holding a topic word itself: a table row matched by its column names alone is one case of
  // many, each shaped alike.
  const shapedLikeAnswer = (s: Sentence) => sentenceFitsType(type, s.text) && holdsTopicWord(s);
  const scoreWithType = (s: Sentence) => score(s) + (shapedLikeAnswer(s) ? typeBonus : 0);
  // Each heading's lines (not table rows), read once: a heading is ranked only when it has some.
  const sectionLines = new Map<number, Sentence[]>();
  for (const s of sentences) {
    if (s.under < 0 || s.row) continue;
    const lines = sectionLines.get(s.under);
    if (lines) lines.push(s);
    else sectionLines.set(s.under, [s]);
  }
  const ranked = sentences
    .filter((s) => !s.heading || sectionLines.has(s.i))
    .map((s) => ({ s, score: scoreWithType(s) }))
    .filter((x) => x.score > 0)
    // Best match first; on a tie the longer sentence, then the earlier.
    .sort((a, b) => b.score - a.score || b.s.text.length - a.s.text.length || a.s.i - b.s.i);
  const picked = new Set<number>();
  let used = 0;
  // The first pick always fits (cut below); the others while `chars` more stay within maxChars.
  const fits = (chars: number) => picked.size === 0 || used + chars <= o.maxChars;
  const take = (s: Sentence | undefined) => {
    if (!s || picked.has(s.i) || !fits(s.text.length)) return false;
    picked.add(s.i);
    used += s.text.length + 2;
    return true;
  };
  // Headings and column names shown for a sentence do not count as one of its matched sentences.
  let matched = 0;
  for (const { s } of ranked) {
    if (matched >= o.maxSentences) break;
    const rows = s.row && s.header < 0 ? sentences.filter((r) => r.header === s.i) : [];
    if (rows.length > 0) {
      // A table's column names matched: unless a row names the member's case itself (quoted on its own, below),
      // every row is one case of the answer ("how much leave do I get": each band of service), so the table is
      // quoted whole, in order, as far as it fits; never its column names alone.
      if (rows.some(holdsTopicWord) || !take(s)) continue;
      matched++;
      for (const r of rows) if (!take(r)) break;
      continue;
    }
    if (s.heading) {
      // Quoted with the first lines of its section, never alone: only when its first line fits with it.
      const section = (sectionLines.get(s.i) ?? []).slice(0, SECTION_LINES);
      const first = section[0];
      // (+ 2: the separator `take` counts after the heading.)
      if (!first || picked.has(s.i) || !fits(s.text.length + 2 + first.text.length)) continue;
      take(s);
      matched++;
      for (const x of section) if (!take(x)) break;
      continue;
    }
    // A row matched by its column names alone is one of the cases its table, above, shows.
    if (s.header >= 0 && !holdsTopicWord(s)) continue;
    if (!take(s)) continue;
    matched++;
    const head = sentences[s.under];
    if (head && [...weight.keys()].some((t) => head.terms.has(t) && !s.terms.has(t))) take(head);
    take(sentences[s.header]);
  }
  // The sentence after the best match, when it fits and is not a new section nor a table row.
  const best = ranked[0]?.s;
  const next = best && sentences[best.i + 1];
  if (next && isContext(next)) take(next);
  fillAround(picked, ranked, sentences, take);
  if (picked.size === 0) return cut(passage.replace(/\s+/g, ' ').trim(), o.maxChars);
  const order = [...picked].sort((a, b) => a - b);
  let out = '';
  order.forEach((i, k) => {
    const s = sentences[i] as Sentence;
    if (k === 0) out += i > 0 ? (s.opensLine ? '…\n' : '… ') : '';
    else {
      const prev = order[k - 1] as number;
      const adjacent = i === prev + 1;
      // A table's rows and a list's items each on a line of their own (a quote line each in Slack): run together,
      // the cells of one row read as the next row's, and "- Fines. - Seat upgrades." as one item.
      const lines = s.opensLine || s.heading || sentences[prev]?.closesLine;
      out += lines ? (adjacent ? '\n' : '\n…\n') : adjacent ? ' ' : ' … ';
    }
    out += s.heading ? `${s.text}:` : s.text;
  });
  const last = order.at(-1);
  if (last !== undefined && last < sentences.length - 1) out += sentences[last]?.closesLine ? '\n…' : ' …';
  return cut(out.replace(/[^\S\n]+/g, ' '), o.maxChars + 40);
}

/**
 * Whether a sentence may be shown as context around a match: not a heading (a new section), and never a table row
 * (the other rows are other cases, and column names alone say nothing).
 */
const isContext = (s: Sentence) => !s.heading && !s.row;

/**
 * Room left after the matched sentences goes to the sentences around them, nearest first (before, then after),
 * best match first, within the same section: a short passage reads whole, and the sentence that answers without
 * the question's words ("Salaries are reviewed once a year, in March." before "Raises take effect on 1 April.")
 * comes with the one that matched. Never a table row: the other rows are other cases, not context.
 */
function fillAround(
  picked: Set<number>,
  ranked: Array<{ s: Sentence }>,
  sentences: Sentence[],
  take: (s: Sentence) => boolean,
): void {
  if (picked.size === 0) return;
  const around = ranked.map((x) => x.s).filter((s) => picked.has(s.i));
  for (let k = 0; k < around.length; k++) {
    const at = around[k] as Sentence;
    for (const n of [sentences[at.i - 1], sentences[at.i + 1]]) {
      if (n && isContext(n) && !picked.has(n.i) && n.under === at.under && take(n)) {
        around.push(n);
      }
    }
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const at = text.lastIndexOf(' ', max - 1);
  return `${text.slice(0, at > max / 2 ? at : max - 1)}…`;
}
