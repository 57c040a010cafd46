import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  CLOSEST_PASSAGES_TEXT,
  closestPassagesForSituation,
  closestPassagesWithout,
  NO_SOURCES_TEXT,
  searchQueryFor,
} from '../../../src/ai/answer.service.js';
import type { Retrieval } from '../../../src/ai/answer.types.js';
import type { ChatMessage, LlmClient } from '../../../src/ai/llm-client.js';
import { buildAnswerMessages } from '../../../src/ai/prompts.js';
import { trimThread } from '../../../src/ai/thread-context.js';
import { retrievedPassage as passage } from '../../support/search-hits.js';

const PASSAGES = [
  passage(1, 'Employees get 25 days of paid leave per year.'),
  passage(2, 'Leave requests go through the HR portal.'),
  passage(3, 'The office is closed on public holidays.'),
];

/** A model that replies with fixed pieces, recording what it was sent. */
function scriptedModel(pieces: string[]): LlmClient & { sent: ChatMessage[][] } {
  const sent: ChatMessage[][] = [];
  return {
    sent,
    embed: async () => ({ vectors: [], promptTokens: 0, model: 'x' }),
    async streamChat(messages, opts, onDelta) {
      sent.push(messages);
      for (const p of pieces) await onDelta(p);
      return { text: pieces.join(''), promptTokens: 120, completionTokens: 30, model: opts.model };
    },
  };
}

const deps = (retrieval: Retrieval, llm: LlmClient | null) => ({
  retrieve: async () => retrieval,
  llmFor: async () => (llm ? { llm, keySource: 'platform' as const } : null),
  chatModel: 'gpt-4o-mini',
  publicUrl: 'https://lore.example.com',
});
const input = {
  tenantId: 't',
  question: 'How many vacation days do I get?',
  thread: [],
  style: 'concise' as const,
  instructions: '',
  scope: { collectionIds: null },
};

describe('answerQuestion', () => {
  it('with a model, declines without calling it only when nothing related came back', async () => {
    const model = scriptedModel(['should not be called']);
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: false, relevant: false, close: false }, model),
      input,
    );
    expect(r).toMatchObject({ outcome: 'no_sources', text: NO_SOURCES_TEXT, sources: [] });
    expect(r.trace?.declinedBy).toBe('retrieval');
    expect(model.sent).toEqual([]);
  });

  it('replies to small talk ("thanks!") itself: no search, no model call, nothing cited', async () => {
    const model = scriptedModel(['should not be called']);
    let searched = false;
    const streamed: string[] = [];
    const r = await answerQuestion(
      {
        ...deps({ passages: PASSAGES, confident: true, relevant: true, close: true }, model),
        retrieve: async () => {
          searched = true;
          return { passages: PASSAGES, confident: true, relevant: true, close: true };
        },
      },
      { ...input, question: 'thanks!', thread: [{ role: 'user', text: 'How many vacation days do I get?' }] },
      (d) => {
        streamed.push(d);
      },
    );
    expect(r).toMatchObject({
      outcome: 'small_talk',
      sources: [],
      usage: { keySource: 'none', promptTokens: 0 },
    });
    expect(r.text).toMatch(/^Glad to help!/);
    expect(streamed.join('')).toBe(r.text);
    expect(searched).toBe(false);
    expect(model.sent).toEqual([]);
  });

  it('with a model, lets the model judge passages retrieval is not confident about', async () => {
    const model = scriptedModel(['You get 25 days [1].']);
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: false, relevant: true, close: true }, model),
      input,
    );
    expect(r.outcome).toBe('answered');
    expect(model.sent).toHaveLength(1);
  });

  it('without a model and not confident, says it could not find this and shows the passages that come closest', async () => {
    const streamed: string[] = [];
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: false, relevant: true, close: true }, null),
      input,
      (d) => {
        streamed.push(d);
      },
    );
    // Still "not found" (a knowledge gap, no feedback buttons), never presented as the answer.
    expect(r.outcome).toBe('no_sources');
    expect(r.trace?.declinedBy).toBe('retrieval');
    expect(r.text.startsWith(CLOSEST_PASSAGES_TEXT)).toBe(true);
    expect(r.text).toContain('>Employees get 25 days of paid leave per year. [1]');
    expect(r.sources.map((s) => s.title)).toEqual(['Doc 1', 'Doc 2', 'Doc 3']);
    expect(streamed.join('')).toBe(r.text);
  });

  it('without a model, names the thing asked about when no top passage holds it, above the closest passages', async () => {
    const retrieval = (held: boolean) => ({
      passages: PASSAGES,
      confident: false,
      relevant: true,
      close: true,
      askedAbout: { word: 'IVF', held, named: true },
    });
    const question = { ...input, question: 'does health insurance cover IVF?' };
    const missing = await answerQuestion(deps(retrieval(false), null), question);
    expect(missing.outcome).toBe('no_sources');
    expect(missing.text.startsWith(closestPassagesWithout('IVF'))).toBe(true);
    expect(missing.text).toMatch(/^I couldn't find anything about “IVF” in your workspace's documents/);
    expect(missing.trace?.askedAbout).toEqual({ word: 'IVF', held: false, named: true });
    // Held, but declined for another reason: the plain wording, which claims nothing about the thing.
    const held = await answerQuestion(deps(retrieval(true), null), question);
    expect(held.text.startsWith(CLOSEST_PASSAGES_TEXT)).toBe(true);
  });

  it('without a model, says no passage speaks to the situation a "… for that?" points back at', async () => {
    const told = "I'm moving house next month";
    const retrieval = (held: boolean) => ({
      passages: PASSAGES,
      confident: false,
      relevant: true,
      close: true,
      pointsBack: { held, told },
    });
    const question = { ...input, question: `${told}. do we get a day off for that?` };
    const missing = await answerQuestion(deps(retrieval(false), null), question);
    expect(missing.outcome).toBe('no_sources');
    expect(missing.text.startsWith(closestPassagesForSituation(told))).toBe(true);
    expect(missing.text).toMatch(
      /^I couldn't find anything .* that speaks to your situation \(“I'm moving house next month”\)/,
    );
    expect(missing.text).toContain('>Employees get 25 days of paid leave per year. [1]');
    // The trace says so without repeating the member's words.
    expect(missing.trace?.pointsBack).toEqual({ held: false });
    // A passage held a word of it, but the reply was declined for another reason: the plain wording.
    const held = await answerQuestion(deps(retrieval(true), null), question);
    expect(held.text.startsWith(CLOSEST_PASSAGES_TEXT)).toBe(true);
    // The thing asked about, when also missing, is the more specific of the two.
    const both = await answerQuestion(
      deps({ ...retrieval(false), askedAbout: { word: 'IVF', held: false, named: true } }, null),
      question,
    );
    expect(both.text.startsWith(closestPassagesWithout('IVF'))).toBe(true);
  });

  it('without a model, shows no passages when none holds enough of the question to be worth reading', async () => {
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: false, relevant: true, close: false }, null),
      input,
    );
    expect(r).toMatchObject({ outcome: 'no_sources', text: NO_SOURCES_TEXT, sources: [] });
  });

  it('streams a cited answer and lists only the sources it cited, linking to the passage', async () => {
    const streamed: string[] = [];
    const r = await answerQuestion(
      deps(
        { passages: PASSAGES, confident: true, relevant: true, close: true },
        scriptedModel([
          'You get *25 days*',
          ' of paid leave a year [1].',
          ' Request it in the HR portal [2].',
        ]),
      ),
      input,
      (d) => {
        streamed.push(d);
      },
    );
    expect(r.outcome).toBe('answered');
    expect(streamed.join('')).toBe(r.text);
    expect(r.sources.map((s) => s.position)).toEqual([1, 2]);
    expect(r.sources[0]).toMatchObject({
      title: 'Doc 1',
      section: 'Section 1',
      url: 'https://lore.example.com/read/documents/00000000-0000-0000-0000-000000000001?chunk=1#chunk-1',
    });
    expect(r.usage).toEqual({
      model: 'gpt-4o-mini',
      promptTokens: 120,
      completionTokens: 30,
      keySource: 'platform',
    });
  });

  it('turns the model saying NO_ANSWER into "I don\'t know" and never streams part of it', async () => {
    const streamed: string[] = [];
    const r = await answerQuestion(
      deps(
        { passages: PASSAGES, confident: true, relevant: true, close: true },
        scriptedModel(['NO_', 'ANS', 'WER']),
      ),
      input,
      (d) => {
        streamed.push(d);
      },
    );
    expect(r.outcome).toBe('no_sources');
    expect(r.text).toBe(NO_SOURCES_TEXT);
    expect(r.sources).toEqual([]);
    expect(r.trace?.declinedBy).toBe('model');
    expect(streamed).toEqual([]);
    expect(r.usage.completionTokens).toBe(30);
  });

  it.each([
    [['NO_ANSWER', '.']],
    [['*NO_', 'ANSWER*']],
    [['NO_ANSWER', '\n\nThe sources only cover leave.']],
  ])('detects the marker however the model dresses it (%j), streaming none of it', async (pieces) => {
    const streamed: string[] = [];
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: true, relevant: true, close: true }, scriptedModel(pieces)),
      input,
      (d) => {
        streamed.push(d);
      },
    );
    expect(r.outcome).toBe('no_sources');
    expect(streamed.join('')).not.toContain('NO_');
  });

  it('streams a short answer that began like the marker ("No,") once it is clearly not the marker', async () => {
    const streamed: string[] = [];
    const r = await answerQuestion(
      deps(
        { passages: PASSAGES, confident: true, relevant: true, close: true },
        scriptedModel(['N', 'o, ', 'never [1].']),
      ),
      input,
      (d) => {
        streamed.push(d);
      },
    );
    expect(r.outcome).toBe('answered');
    expect(streamed.join('')).toBe('No, never [1].');
  });

  it('quotes the best passages, labelled as such, when no model is configured', async () => {
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: true, relevant: true, close: true }, null),
      input,
    );
    expect(r.outcome).toBe('extractive');
    expect(r.text).toMatch(/^_No AI model is set up/);
    expect(r.text).toContain('>Employees get 25 days of paid leave per year. [1]');
    expect(r.sources).toHaveLength(3);
    expect(r.usage.keySource).toBe('none');
  });

  it('without a model, quotes a table row by row, each line a quote line in Slack', async () => {
    const table = passage(
      1,
      [
        'Annual leave',
        '| Completed years of service | Vacation days |',
        '| Fewer than 5 | 25 days |',
        '| 5 or more | 27 days |',
      ].join('\n'),
    );
    const r = await answerQuestion(
      deps({ passages: [table], confident: true, relevant: true, close: true }, null),
      input,
    );
    // Slack quotes line by line: a row without its own ">" would fall out of the quote.
    expect(r.text).toContain(
      '>Annual leave:\n>| Completed years of service | Vacation days |\n>| Fewer than 5 | 25 days |\n>| 5 or more | 27 days | [1]',
    );
  });

  it('without a model, quotes the best passage at more length than the others', async () => {
    // Twenty sentences about vacation per passage, each about 50 characters: only how much of each is quoted differs.
    const long = (n: number) =>
      passage(
        n,
        Array.from({ length: 20 }, (_, k) => `Vacation rule ${n}.${k} applies to vacation days.`).join(' '),
      );
    const r = await answerQuestion(
      deps({ passages: [long(1), long(2), long(3)], confident: true, relevant: true, close: true }, null),
      input,
    );
    const quotes = r.text.split('\n\n').filter((l) => l.startsWith('>'));
    const rules = (quote: string) => quote.match(/Vacation rule/g)?.length ?? 0;
    expect(quotes).toHaveLength(3);
    // The best passage's 800 characters against the others' 420, filled with the sentences around the match.
    expect(rules(quotes[0] ?? '')).toBeGreaterThanOrEqual(14);
    expect(rules(quotes[1] ?? '')).toBeLessThanOrEqual(9);
    expect(rules(quotes[2] ?? '')).toBeLessThanOrEqual(9);
    expect((quotes[0] ?? '').length).toBeLessThanOrEqual(860);
    expect((quotes[1] ?? '').length).toBeLessThanOrEqual(480);
  });

  it('without a model, leaves out of an answer a passage covering under a fifth of the question, giving its room to the best one', async () => {
    const long = (n: number, termCoverage: number) => ({
      ...passage(
        n,
        Array.from({ length: 20 }, (_, k) => `Vacation rule ${n}.${k} applies to vacation days.`).join(' '),
      ),
      termCoverage,
    });
    const passages = [long(1, 0.9), long(2, 0.1), long(3, 0.5)];
    const answer = await answerQuestion(
      deps({ passages, confident: true, relevant: true, close: true }, null),
      input,
    );
    const quotes = answer.text.split('\n\n').filter((l) => l.startsWith('>'));
    expect(answer.sources.map((s) => s.title)).toEqual(['Doc 1', 'Doc 3']);
    expect(quotes).toHaveLength(2);
    expect(answer.text).not.toContain('Vacation rule 2.');
    // 800 + the 420 characters left: the best passage's twenty sentences whole (at 800 it shows at most sixteen).
    expect(quotes[0]?.match(/Vacation rule 1\./g)).toHaveLength(20);
    // Shown as the closest passages (not as the answer), all three are.
    const closest = await answerQuestion(
      deps({ passages, confident: false, relevant: true, close: true }, null),
      input,
    );
    expect(closest.sources.map((s) => s.title)).toEqual(['Doc 1', 'Doc 2', 'Doc 3']);
  });

  it('without a model, quotes first (as source [1]) the passage covering most of the question, rank breaking ties', async () => {
    const covering = (n: number, termCoverage: number) =>
      ({ ...PASSAGES[n - 1], termCoverage }) as (typeof PASSAGES)[0];
    const quotedOrder = async (passages: typeof PASSAGES, confident: boolean) => {
      const r = await answerQuestion(deps({ passages, confident, relevant: true, close: true }, null), input);
      return r.sources.map((s) => s.title);
    };
    // Ranked second, but it covers the question: it is the answer quoted first.
    const passages = [covering(1, 0.5), covering(2, 0.9), covering(3, 0.5)];
    expect(await quotedOrder(passages, true)).toEqual(['Doc 2', 'Doc 1', 'Doc 3']);
    // Shown as the closest passages (not the answer), they keep the search's order.
    expect(await quotedOrder(passages, false)).toEqual(['Doc 1', 'Doc 2', 'Doc 3']);
    // Covering what is asked alike, the one that also holds the member's situation comes first.
    const situated = [
      covering(1, 1),
      { ...covering(2, 1), messageCoverage: 0.6 },
      { ...covering(3, 1), messageCoverage: 0.3 },
    ];
    expect(await quotedOrder(situated, true)).toEqual(['Doc 2', 'Doc 3', 'Doc 1']);
  });

  it('gives the model up to ten retrieved passages as numbered sources', async () => {
    const model = scriptedModel(['Ten days [1].']);
    const policy = (n: number) => `Policy ${n} says the allowance is ${n} days a year.`;
    const passages = Array.from({ length: 12 }, (_, i) => passage(i + 1, policy(i + 1)));
    await answerQuestion(deps({ passages, confident: true, relevant: true, close: true }, model), input);
    const system = model.sent[0]?.[0]?.content ?? '';
    expect(system).toContain(`[10] Doc 10 — Section 10 (p. 10)\n${policy(10)}`);
    expect(system).not.toContain('[11]');
    expect(system).not.toContain(policy(11));
  });

  it('without a model, does not present passages as the answer to a "how many" question when none counts what it asks about', async () => {
    const r = await answerQuestion(
      deps({ passages: PASSAGES, confident: true, relevant: true, close: true }, null),
      {
        ...input,
        question: 'How many employees does the company have?',
      },
    );
    expect(r.outcome).toBe('no_sources');
    expect(r.text.startsWith(CLOSEST_PASSAGES_TEXT)).toBe(true);
    expect(r.trace?.declinedBy).toBe('retrieval');
  });

  it('without a model, answers "who is the …" only from a passage that names someone for the role', async () => {
    const ask = (text: string) =>
      answerQuestion(
        deps({ passages: [passage(1, text)], confident: true, relevant: true, close: true }, null),
        { ...input, question: 'who is the head of the marketing team?' },
      );
    const unnamed = await ask('Customer-facing material is reviewed by the marketing team.');
    expect(unnamed.outcome).toBe('no_sources');
    expect(unnamed.text.startsWith(CLOSEST_PASSAGES_TEXT)).toBe(true);
    const named = await ask('Dana Okafor is the head of the marketing team.');
    expect(named.outcome).toBe('extractive');
    expect(named.text).toContain('Dana Okafor is the head of the marketing team.');
  });

  it('sends the sources, the rules and the thread to the model, with admin instructions after the rules', async () => {
    const model = scriptedModel(['Yes [1].']);
    await answerQuestion(deps({ passages: PASSAGES, confident: true, relevant: true, close: true }, model), {
      ...input,
      instructions: 'Always answer in French.',
      thread: [
        { role: 'user', text: 'Who approves leave?' },
        { role: 'assistant', text: 'Your manager [1].' },
      ],
    });
    // The first call rewrote the follow-up for search; the second is the answer.
    expect(model.sent).toHaveLength(2);
    const [system, ...rest] = model.sent[1] ?? [];
    expect(system?.content).toContain('[1] Doc 1 — Section 1 (p. 1)\nEmployees get 25 days');
    expect(system?.content.indexOf('ONLY the numbered sources')).toBeLessThan(
      system?.content.indexOf('Always answer in French.') ?? -1,
    );
    expect(rest.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(rest.at(-1)?.content).toBe(input.question);
  });
});

describe('thread context', () => {
  it('keeps the most recent messages that fit the token budget, in order', () => {
    const thread = Array.from({ length: 50 }, (_, i) => ({
      role: 'user' as const,
      text: `message number ${i} ${'word '.repeat(20)}`,
    }));
    const kept = trimThread(thread, 200);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(50);
    expect(kept.at(-1)?.text).toBe(thread.at(-1)?.text);
    expect(kept[0]?.text).toBe(thread[50 - kept.length]?.text);
  });

  it('searches a short follow-up together with the question before it', () => {
    const thread = [{ role: 'user' as const, text: 'How much parental leave do employees get?' }];
    expect(searchQueryFor('And contractors?', thread)).toBe(
      'How much parental leave do employees get? And contractors?',
    );
    expect(searchQueryFor('What is the policy for booking business class flights abroad?', thread)).toBe(
      'What is the policy for booking business class flights abroad?',
    );
  });

  it('numbers sources in the prompt in the order given', () => {
    const messages = buildAnswerMessages({
      question: 'q',
      thread: [],
      passages: PASSAGES,
      style: 'detailed',
      instructions: '',
    });
    const system = messages[0]?.content ?? '';
    expect(system.indexOf('[1] Doc 1')).toBeLessThan(system.indexOf('[2] Doc 2'));
    expect(system).toContain('at most 250 words');
  });
});
