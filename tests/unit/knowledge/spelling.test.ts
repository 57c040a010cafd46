import { describe, expect, it } from 'vitest';
import { contentWords, topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import {
  applySpellingFixes,
  spellingFixes,
  type TenantWordsLookup,
} from '../../../src/knowledge/retrieval/spelling.js';
import { termsOfWords } from '../../../src/knowledge/retrieval/term-weights.js';

/** The fixes for a question against retrieved passages' texts, as the search service reads both. */
async function fixesFor(question: string, passages: string[], tenantWords?: TenantWordsLookup) {
  const hitWords = passages.map((p) => contentWords(p));
  const held = new Set(hitWords.flatMap((w) => [...termsOfWords(w)]));
  return spellingFixes(topicWords(question), held, hitWords, tenantWords);
}

/** The tenant's words a lookup returns, whatever was typed. */
const tenant =
  (words: Record<string, number>): TenantWordsLookup =>
  async (typed) =>
    new Map(typed.map((t) => [t.word, new Map(Object.entries(words))]));

const LEAVE = [
  'Every employee gets 27 vacation days per year.',
  'Unused vacation days carry over until the end of March.',
  'Parental leave is 20 weeks at full pay.',
];

describe('spellingFixes: a typo read as the word the documents use', () => {
  it('reads a dropped, doubled, swapped or wrong letter as the passages’ word', async () => {
    expect(await fixesFor('how many vacaton days do I get?', LEAVE)).toEqual([
      { typed: 'vacaton', corrected: 'vacation' },
    ]);
    expect(await fixesFor('how many vaccation days?', LEAVE)).toEqual([
      { typed: 'vaccation', corrected: 'vacation' },
    ]);
    expect(await fixesFor('how long is parnetal leave', LEAVE)).toEqual([
      { typed: 'parnetal', corrected: 'parental' },
    ]);
    expect(await fixesFor('do unused days carry ovet', LEAVE)).toEqual([]); // "ovet": too short to be sure
    // Two edits for a long word.
    expect(await fixesFor('does the emplyoeee discount apply to parental laeve', LEAVE)).toEqual([
      { typed: 'emplyoeee', corrected: 'employee' },
      { typed: 'laeve', corrected: 'leave' },
    ]);
  });

  it('leaves alone words everyday English knows, words the passages hold, short words and other first letters', async () => {
    // "fired" is a word, not a typo of "hired".
    expect(await fixesFor('who gets fired for missing shifts', ['New staff are hired in spring.'])).toEqual(
      [],
    );
    // The passages hold it: nothing to fix.
    expect(await fixesFor('how many vacation days', LEAVE)).toEqual([]);
    // Names the passages never use stay as typed, even one edit from a passage word.
    expect(await fixesFor('do we pay for figma', ['Design tools: sigma is our statistics tool.'])).toEqual(
      [],
    );
    expect(await fixesFor('what is the wifi password', ['Tell your wife about the password rules.'])).toEqual(
      [],
    );
    // A "word" longer than any English one is never compared (a pasted string, or a hostile question).
    expect(await fixesFor(`what is ${'b'.repeat(40)}`, [`It is ${'b'.repeat(41)}.`])).toEqual([]);
    // No passage word close enough: left as typed (and searched as typed).
    expect(await fixesFor('is there a kubernetes budget', LEAVE)).toEqual([]);
  });

  it("looks a typo up in the tenant's words when no passage word is near, and takes only a single nearest one", async () => {
    const asked: string[][] = [];
    const words = new Map([
      ['vacation', 12],
      ['batcher', 3],
      ['batches', 5],
    ]);
    const tenantWords: TenantWordsLookup = async (typed) => {
      asked.push(typed.map((t) => t.word));
      return new Map(typed.map((t) => [t.word, words]));
    };
    const fixes = (question: string, passages: string[]) => fixesFor(question, passages, tenantWords);
    // The question's other words found nothing about it: the tenant's words say what was meant.
    expect(await fixes('vaccation?', [])).toEqual([{ typed: 'vaccation', corrected: 'vacation' }]);
    // Two of the tenant's words equally near: left as typed.
    expect(await fixes('how big are the batchez', [])).toEqual([]);
    // A passage word near it: the passages decide, the tenant's words are not asked.
    asked.length = 0;
    expect(await fixes('how many vacaton days', LEAVE)).toEqual([
      { typed: 'vacaton', corrected: 'vacation' },
    ]);
    expect(asked).toEqual([]);
    // A question of many unknown words asks about three at most, all in one lookup; two typos, both fixed.
    await fixes('zqxwvu yqxwvu xqxwvu wqxwvu vqxwvu', []);
    expect(asked).toEqual([['zqxwvu', 'yqxwvu', 'xqxwvu']]);
    expect(await fixes('vaccation batchesz', [])).toEqual([
      { typed: 'vaccation', corrected: 'vacation' },
      { typed: 'batchesz', corrected: 'batches' },
    ]);
    expect(asked.at(-1)).toEqual(['vaccation', 'batchesz']);
  });

  it("reads a typo as an English word when neither the passages nor the tenant's words hold one near it", async () => {
    const none = tenant({});
    // The handbook never says "advance" or "mandatory": the typo weighed as a word nobody uses until read as one.
    expect(await fixesFor('how far in advnace do I book leave', LEAVE, none)).toEqual([
      { typed: 'advnace', corrected: 'advance', english: true },
    ]);
    expect(await fixesFor('is the exit interview mnadatory', [], none)).toEqual([
      { typed: 'mnadatory', corrected: 'mandatory', english: true },
    ]);
    // A word the synonym map knows ("maternity" for "parental leave"), though no handbook word is near it.
    expect(await fixesFor('how long is matternity leave', [], none)).toEqual([
      { typed: 'matternity', corrected: 'maternity', english: true },
    ]);
    // Equally near English words: the one everyday English uses most ("started", not "stated")...
    expect(await fixesFor('I strated in June, how many days do I get', [], none)).toEqual([
      { typed: 'strated', corrected: 'started', english: true },
    ]);
    // ...unless the documents hold the other's stem ("stated", where a handbook says "states").
    expect(await fixesFor('I strated in June, how many days do I get', [], tenant({ states: 2 }))).toEqual([
      { typed: 'strated', corrected: 'stated', english: true },
    ]);
  });

  it('leaves alone names English rarely uses and words the tenant’s documents hold', async () => {
    // Short words and rare ones are a name's neighbours more often than a typo's: "figma" is not "firma", nor
    // "redis" "reds".
    expect(await fixesFor('do we pay for figma', [], tenant({}))).toEqual([]);
    expect(await fixesFor('which redis version do we run', [], tenant({}))).toEqual([]);
    // Two of the tenant's words equally near: a guess either way, so English does not pick one either.
    expect(await fixesFor('what are the statez', [], tenant({ stated: 1, states: 1 }))).toEqual([]);
    // A name the word vectors know is no typo, though one letter from a word ("clause").
    expect(await fixesFor('can I use claude for work', [], tenant({}))).toEqual([]);
    // A word of the tenant's documents is no typo, though no passage the question found holds it and a
    // commoner word is one edit away.
    expect(await fixesFor('who runs the bakehouse', [], tenant({ bakehouse: 1, bakehouses: 1 }))).toEqual([]);
  });

  it('reads a short word with two letters swapped back as the word that names no topic ("hwo", "waht\'s", "teh")', async () => {
    expect(await fixesFor('hwo long is parental leave', LEAVE)).toEqual([
      { typed: 'hwo', corrected: 'how', english: true },
    ]);
    expect(await fixesFor("waht's teh deadline fro unused vacation days", LEAVE)).toEqual([
      { typed: "waht's", corrected: "what's", english: true },
      { typed: 'teh', corrected: 'the', english: true },
      { typed: 'fro', corrected: 'for', english: true },
    ]);
    // A word the passages hold is never looked at, whatever it is a swap of ("aws" and "was").
    expect(await fixesFor('which aws region', ['We run everything in one AWS region.'])).toEqual([]);
    // A word English uses is left alone ("form" is not "from"), and so is one the word vectors know ("os").
    expect(await fixesFor('where is the expense form', LEAVE)).toEqual([]);
    expect(await fixesFor('which os do laptops run', LEAVE)).toEqual([]);
  });

  it('replaces whole words only, whatever their case', () => {
    const fixes = [{ typed: 'vacaton', corrected: 'vacation' }];
    expect(applySpellingFixes('Vacaton days? vacatons are not vacaton', fixes)).toBe(
      'vacation days? vacatons are not vacation',
    );
  });
});
