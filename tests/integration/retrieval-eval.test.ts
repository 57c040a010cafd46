import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BeirDataset, loadBeirDataset } from '../../scripts/eval/beir.js';
import { formatResult } from '../../scripts/eval/evaluate.js';
import { formatAnswerResult } from '../../scripts/eval/evaluate-answers.js';
import { type RunReport, runEvaluation } from '../../scripts/eval/run-evaluation.js';
import { datasetWithSwappedLetters, datasetWithTypos } from '../../scripts/eval/typos.js';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/logger.js';
import { mockOpenAiEmbeddings } from '../support/fake-embeddings.js';
import { createTestDatabase } from '../support/test-db.js';

/** The Slack-like set's floors, typed clean and with letters swapped in a short word alike. */
const SLACK_LIKE_FLOORS = {
  fullTextRecallAt10: 0.97,
  fullTextNdcgAt10: 0.9,
  hybridNdcgAt10: 0.88,
  // Quotes filled with the sentences around the match (snippets.ts `fillAround`): before, shown 87.2%, reached 92.8%.
  // The thing asked about held by the quoted passage (asked-object.ts): before, shown 89.6%, false "I don't know"
  // 8.0%, abstained 85.7% ("who is the …" needing a name, answer-type.ts: before that, 82.1%). "… can I keep it"
  // quoted only from a passage holding a word of the situation (situation-words.ts): before, shown 86.4%, false
  // "I don't know" 11.2%. Irregular verbs ("stole", words.ts) and a country named (country-names.ts): before,
  // shown 85.6%, false "I don't know" 12.0%. Every word of the thing asked about the word vectors know ("Roth
  // contributions", asked-object.ts `askedThing`): before, abstained 96.4%.
  shownNoModel: 0.86,
  reachedNoModel: 0.94,
  falseIdkNoModel: 0.11,
  abstainedNoModel: 0.96,
  inPromptWithModel: 0.95,
  declinedBeforeModel: 0.05,
};

/**
 * The quality gate: both shipped evaluation sets through the real ingestion pipeline, the real search
 * function and the real answer step. Floors sit a little under the measured values (BENCHMARKS.md): a
 * change that makes retrieval or answering worse fails CI. "With a model" uses the fake embedder (a fuzzy
 * lexical matcher) for the vector half and a stand-in chat model that records its prompt.
 */
const SETS = [
  {
    dir: 'tests/fixtures/eval',
    typing: 'clean',
    documents: 57,
    queries: 76,
    floors: {
      fullTextRecallAt10: 0.93,
      fullTextNdcgAt10: 0.86,
      hybridNdcgAt10: 0.82,
      // Judged by document for this set (it names no answer text): a passage of a relevant document. Irregular
      // verbs, "minimum" and "things" naming no topic (question-terms.ts), a country named: before, shown 76.3%,
      // false "I don't know" 21.1%. The 80% target is the floor.
      shownNoModel: 0.8,
      reachedNoModel: 0.88,
      falseIdkNoModel: 0.18,
      // "who is the head of the marketing team?" needing a name, then the thing asked about held by the quoted
      // passage: before, 83.3% and 91.7%.
      abstainedNoModel: 0.91,
      // Framing words no longer searched (question-terms.ts `withoutFraming`): before, 92.1%.
      inPromptWithModel: 0.94,
      declinedBeforeModel: 0.05,
    },
  },
  {
    dir: 'tests/fixtures/eval-slack',
    typing: 'clean',
    documents: 23,
    queries: 125,
    floors: SLACK_LIKE_FLOORS,
  },
  {
    // Written blind to Lore's code, then studied (its README): tables and lists, short sections. Its abstention
    // floor guards against regressions; it is below the 80% target (BENCHMARKS.md, "Answer quality").
    dir: 'tests/fixtures/eval-tidewater',
    typing: 'clean',
    documents: 16,
    queries: 50,
    floors: {
      fullTextRecallAt10: 0.97,
      fullTextNdcgAt10: 0.9,
      hybridNdcgAt10: 0.88,
      // Situation-first questions ("my grandad died yesterday. how much time off…"): with the situation counted
      // against the passage (situation-words.ts), shown 74.0%, false "I don't know" 18.0%. Irregular verbs ("do i
      // lose them?" and "lost"): before, shown 88.0%, false "I don't know" 4.0%.
      shownNoModel: 0.88,
      reachedNoModel: 0.88,
      falseIdkNoModel: 0.04,
      // "who's the warehouse manager at brackley road?" needing a name, then the thing asked about: before, 60.0%
      // and 66.7%.
      abstainedNoModel: 0.73,
      inPromptWithModel: 0.92,
      declinedBeforeModel: 0.05,
    },
  },
  {
    // Situation-first questions over the Slack-like corpus ("I'm moving house next month. do we get a day off for
    // that?"), 31 answered and 30 not: written to measure the situation reading's risk (its README). When it happens
    // ("next month") weighing nothing, then "… for that?" quoted only from a passage holding a word of the
    // situation (situation-words.ts): before, abstained 46.7% and 53.3%; shown unchanged. Without the situation
    // reading: shown 29.0%, abstained 73.3%. "will the company pay for the repair?" read as asking about one thing
    // (asked-object.ts): before, 63.3%. A passage covering only what is asked holding its weightiest word
    // (quotable-hits.ts): before, 66.7%. Every word of the thing asked about ("a baby gift"): before, 73.3%.
    // Framing words ("need", "get", "how much") no longer searched (question-terms.ts `withoutFraming`): before,
    // shown 64.5%, reached 77.4%, abstained 76.7%, in the prompt 87.1%.
    dir: 'tests/fixtures/eval-situations',
    typing: 'clean',
    documents: 23,
    queries: 31,
    floors: {
      fullTextRecallAt10: 0.93,
      fullTextNdcgAt10: 0.81,
      hybridNdcgAt10: 0.78,
      shownNoModel: 0.61,
      reachedNoModel: 0.74,
      falseIdkNoModel: 0.23,
      abstainedNoModel: 0.7,
      inPromptWithModel: 0.93,
      declinedBeforeModel: 0.05,
    },
  },
  {
    // Situation-first questions over the Tidewater corpus, 30 answered and 30 not, written by a helper blind to
    // Lore's code and to every other set's questions (its README); the set a stronger situation guard is decided
    // on. A grandparent, a death and a girlfriend as members name them (synonyms.ts): before, shown 56.7%, false
    // "I don't know" 26.7%. A passage covering only what is asked holding its weightiest word (quotable-hits.ts):
    // before, shown 63.3%, abstained 66.7% (the answer moved to the closest passages: "whats the cutoff for swapping
    // a shift?", the passage saying "at least 48 hours before"). The passage covering most of the question quoted
    // first (answer.service.ts), then the one also covering the situation: before, shown 60.0% and 63.3%.
    dir: 'tests/fixtures/eval-situations-tidewater',
    typing: 'clean',
    documents: 16,
    queries: 30,
    floors: {
      fullTextRecallAt10: 0.97,
      fullTextNdcgAt10: 0.86,
      hybridNdcgAt10: 0.8,
      shownNoModel: 0.66,
      reachedNoModel: 0.79,
      falseIdkNoModel: 0.27,
      abstainedNoModel: 0.69,
      // Framing words no longer searched: before, 90.0%.
      inPromptWithModel: 0.93,
      declinedBeforeModel: 0.05,
    },
  },
  {
    // A real handbook (29 pages of the public-domain TTS Handbook), questions written by a helper blind to Lore's
    // code (its README). Measured blind: shown 61.7%, false "I don't know" 6.7%, abstained 60.0%, in the prompt
    // 93.3% (full-text). Two words typed side by side raising a hit (word-pairs.ts): shown 65.0%, in the prompt 96.7%;
    // "what's the max …" asking an amount and "how fast" a span of time (answer-type.ts): shown 68.3%; a unit of time
    // counting no holidays ("8 hours of holiday pay"): abstained 64.0%; "thru", "gonna" naming no topic
    // (question-terms.ts): shown 71.7%, false "I don't know" 5.0%. A matched heading quoted with its section's lines
    // (snippets.ts) and chat shortenings written out ("docs", chat-abbreviations.ts): shown 75.0%, false "I don't
    // know" 3.3%. Framing words no longer searched: abstained 64.0% → 60.0%, in the prompt 96.7% → 98.3%. "doctor" as
    // "physician" (synonyms.ts): shown 76.7%. Below the 80% targets without a model.
    dir: 'tests/fixtures/eval-tts-handbook',
    typing: 'clean',
    documents: 29,
    queries: 60,
    floors: {
      fullTextRecallAt10: 0.98,
      fullTextNdcgAt10: 0.87,
      hybridNdcgAt10: 0.9,
      shownNoModel: 0.76,
      reachedNoModel: 0.76,
      falseIdkNoModel: 0.05,
      abstainedNoModel: 0.6,
      inPromptWithModel: 0.98,
      declinedBeforeModel: 0.05,
    },
  },
  {
    // The Slack-like questions typed in a hurry: one typo in each one's rarest topic word (scripts/eval/typos.ts).
    // Read as the documents' words (spelling.ts); without that, shown 28.8% and false "I don't know" 69.6%; with
    // the passages' words only (not the tenant's), shown 66.4%, full-text nDCG@10 0.840; with the tenant's words
    // but no English ones (english-words.ts), shown 74.4%, false "I don't know" 22.4%, reached 88.0%.
    dir: 'tests/fixtures/eval-slack',
    typing: 'typos',
    documents: 23,
    queries: 125,
    floors: {
      fullTextRecallAt10: 0.95,
      fullTextNdcgAt10: 0.91,
      // 0.878 when the question was embedded only as typed.
      hybridNdcgAt10: 0.9,
      // The thing asked about held by the quoted passage: before, shown 88.0%, false "I don't know" 9.6%, abstained
      // 85.7%. "… can I keep it" quoted only from a passage holding a word of the situation: before, shown 84.8%,
      // false "I don't know" 12.8% (the vendor's champagne is now among the closest passages). Irregular verbs and a
      // country named: before, shown 84.0%. Every word of the thing asked about: before, abstained 96.4%.
      shownNoModel: 0.84,
      reachedNoModel: 0.94,
      falseIdkNoModel: 0.14,
      abstainedNoModel: 0.96,
      inPromptWithModel: 0.95,
      declinedBeforeModel: 0.05,
    },
  },
  {
    // The Slack-like questions with two letters swapped in one of their short words ("hwo", "teh", "waht"):
    // read back as the words they are (spelling.ts). Before that, shown 45.6%, false "I don't know" 52.0%.
    dir: 'tests/fixtures/eval-slack',
    typing: 'swaps',
    documents: 23,
    queries: 125,
    floors: SLACK_LIKE_FLOORS,
  },
] as const;

/** How each set's questions are typed: as written, with a typo in the topic, or letters swapped in a short word. */
const TYPED = { clean: (d: BeirDataset) => d, typos: datasetWithTypos, swaps: datasetWithSwappedLetters };

// Named by folder: Vitest cuts a title's values at 40 characters, and the full path of one set is longer.
const NAMED_SETS = SETS.map((s) => ({ ...s, set: s.dir.replace('tests/fixtures/', '') }));

describe.each(NAMED_SETS)(
  'evaluation on the shipped set $set (questions typed: $typing)',
  ({ dir, typing, documents, queries, floors }) => {
    let db: Database;
    let blobDir: string;
    let report: RunReport;

    beforeAll(async () => {
      db = await createTestDatabase();
      blobDir = await mkdtemp(path.join(tmpdir(), 'lore-eval-test-'));
      const stats = mockOpenAiEmbeddings('https://api.openai.test/v1');
      const embedder = createOpenAiClient({
        apiKey: 'sk-test',
        baseUrl: 'https://api.openai.test/v1',
        maxRetries: 0,
      });
      const loaded = await loadBeirDataset(dir);
      const dataset = TYPED[typing](loaded);
      report = await runEvaluation(db, dataset, {
        embedder,
        embeddingModel: 'text-embedding-3-small',
        blobDir,
        logger: createLogger({ level: 'silent' }),
        answers: true,
      });
      expect(stats.requests).toBeGreaterThan(0);
    }, 240_000);
    afterAll(async () => {
      await db.close();
      await rm(blobDir, { recursive: true, force: true });
    });

    it('ingests every document of the corpus through the pipeline', () => {
      expect(report.ingest.failed).toEqual([]);
      expect(report.ingest.documents).toBe(documents);
      expect(report.ingest.chunks).toBeGreaterThanOrEqual(documents);
    });

    it('full-text search stays above its quality floors', () => {
      const ft = report.fullText;
      expect(ft.metrics.queries).toBe(queries);
      expect(ft.metrics.recallAt10, formatResult(ft)).toBeGreaterThanOrEqual(floors.fullTextRecallAt10);
      expect(ft.metrics.ndcgAt10, formatResult(ft)).toBeGreaterThanOrEqual(floors.fullTextNdcgAt10);
    });

    it('hybrid search (fake embeddings) finds as much as full-text search and stays above its floor', () => {
      // Not compared on nDCG with full-text: the fake embedder is weaker than BM25 with synonyms, and
      // fusing it 1:1 costs rank places (BENCHMARKS.md); a real embedding model is expected to add.
      const hybrid = report.hybrid;
      expect(hybrid).not.toBeNull();
      const message = `${formatResult(report.fullText)}\n${hybrid && formatResult(hybrid)}`;
      // A question whose typo was read is embedded again as fixed (retriever.ts); embedded only as typed, the
      // typo'd set's hybrid recall@10 was 0.984 against full-text's 0.992.
      expect(hybrid?.metrics.recallAt10, message).toBeGreaterThanOrEqual(
        report.fullText.metrics.recallAt10 - 1e-9,
      );
      expect(hybrid?.metrics.ndcgAt10, message).toBeGreaterThanOrEqual(floors.hybridNdcgAt10);
    });

    it('without a model: shows the answer, rarely says "I don\'t know" wrongly, abstains when it should', () => {
      const r = report.answers?.noModel;
      expect(r).toBeDefined();
      if (!r) return;
      const message = formatAnswerResult(r, 'full-text only');
      expect(r.answerReached, message).toBeGreaterThanOrEqual(floors.shownNoModel);
      // Shown as the answer, or among the closest passages under "I couldn't find a clear answer".
      expect(r.answerReached + (r.closest?.answerShown ?? 0), message).toBeGreaterThanOrEqual(
        floors.reachedNoModel,
      );
      expect(r.falseIdk, message).toBeLessThanOrEqual(floors.falseIdkNoModel);
      expect(r.abstained, message).toBeGreaterThanOrEqual(floors.abstainedNoModel);
    });

    it('with a model: the answer is in its prompt, and retrieval almost never declines before it', () => {
      const r = report.answers?.withModel;
      expect(r).toBeDefined();
      if (!r) return;
      const message = formatAnswerResult(r, 'hybrid, fake embedder');
      expect(r.answerReached, message).toBeGreaterThanOrEqual(floors.inPromptWithModel);
      expect(r.falseIdk, message).toBeLessThanOrEqual(floors.declinedBeforeModel);
    });
  },
);
