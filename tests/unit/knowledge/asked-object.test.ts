import { describe, expect, it } from 'vitest';
import { askedThing, holdsObject, weightiestAsked } from '../../../src/knowledge/retrieval/asked-object.js';
import { contentWords, topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { readSituation } from '../../../src/knowledge/retrieval/situation-words.js';
import { termsOf, termWeights, withoutTerms } from '../../../src/knowledge/retrieval/term-weights.js';

// The head of the phrase: the word a passage must hold whatever else the question names.
const askedObject = (q: string) => askedThing(q).words.at(-1) ?? null;
const word = (q: string) => askedObject(q)?.word ?? null;

describe('the thing a question asks whether there is', () => {
  it('is the head of the noun phrase after "is there", "does … pay for / cover", "can I get / bring"', () => {
    expect(word('is there a bonus at the end of the year?')).toBe('bonus');
    expect(word('does health insurance cover IVF?')).toBe('ivf');
    // Shown as typed.
    expect(askedObject('does health insurance cover IVF?')?.typed).toBe('IVF');
    expect(word('Can I get a company car?')).toBe('car');
    expect(word('does the company pay for a gym membership')).toBe('membership');
    expect(word('does tidewater pay for my visa if i’m sent abroad for work?')).toBe('visa');
    expect(word('can i bring my dog into the office on fridays?')).toBe('dog');
    expect(word('do we have a 401k match?')).toBe('match');
    expect(word('is there any therapy or mental health support?')).toBe('therapy');
  });

  it('is every word of that phrase the word vectors know, not only its head', () => {
    const thing = (q: string) => askedThing(q).words.map((o) => o.word);
    expect(thing('does the 401k allow Roth contributions?')).toEqual(['roth', 'contributions']);
    expect(thing('Can I get a company car?')).toEqual(['company', 'car']);
    // A word the vectors do not know ("SaaS") is left to the head: nothing near it could be found.
    expect(thing('How do I get a new SaaS tool approved?')).toEqual(['new', 'tool']);
    expect(thing('is there a bonus at the end of the year?')).toEqual(['bonus']);
    expect(thing('how many days of leave do we get?')).toEqual([]);
  });

  it('is the whole phrase as typed where the opener names it, for the reply to name', () => {
    expect(askedThing('Is there FREE breakfast?').typed).toBe('FREE breakfast');
    // Where the opener names it, not the first "company" of the question.
    expect(askedThing('does the company pay for a company car?').typed).toBe('company car');
    expect(askedThing('How do I get a new SaaS tool approved?').typed).toBe('new SaaS tool');
    // Typed otherwise than read ("401(k)" is read "401k"): the words as read.
    expect(askedThing('is there a 401(k) plan?').typed).toBe('401k plan');
    expect(askedThing('how many days of leave do we get?').typed).toBe('');
  });

  it('reads "will / would / can / could … pay for / cover / reimburse" as "does …" is read', () => {
    expect(word('my phone screen smashed. will the company pay for the repair?')).toBe('repair');
    expect(word('would the insurance cover physiotherapy?')).toBe('physiotherapy');
    expect(word('could the company reimburse a taxi after a late shift?')).toBe('taxi');
    // "me" ends the phrase before it names anything, as after "does".
    expect(askedObject('will insurance cover me after i leave?')).toBeNull();
    expect(askedObject('can they give me access to figma')).toBeNull();
  });

  it('stops at a verb form or a particle after the noun', () => {
    expect(word('can i get my unused days carried over?')).toBe('days');
    expect(word('I have to work on a bank holiday, do I get the day back')).toBe('day');
    expect(word('How do I get a new SaaS tool approved?')).toBe('tool');
  });

  it('is the words before the head after "what is the …" or "how much is the …": the head names the kind of answer', () => {
    const thing = (q: string) => askedThing(q).words.map((o) => o.word);
    // "limit", "levels": the asker's words for what the documents say otherwise ("capped at", "SEV1").
    expect(thing('What is the hotel limit per night on business trips?')).toEqual(['hotel']);
    expect(thing('What are the severity levels for incidents?')).toEqual(['severity']);
    expect(thing('how much is the gym stipend?')).toEqual(['gym']);
    expect(thing('how much is the life insurance worth')).toEqual(['life']);
    // The whole phrase is what the reply names.
    expect(askedThing("what's the dress code for meetups?")).toMatchObject({
      typed: 'dress code',
      presupposed: true,
    });
    // One word is the head alone: nothing is required.
    expect(thing('what is EOS?')).toEqual([]);
    expect(thing('whats the office address')).toEqual(['office']);
    // "Is there" before it still asks whether there is one: the head is required.
    expect(askedThing('is there a gym stipend?')).toMatchObject({ presupposed: false });
    expect(thing('is there a gym stipend?')).toEqual(['gym', 'stipend']);
  });

  it('takes the earliest opener of a message that tells its situation first', () => {
    expect(word('my kid is sick and I need to stay home, is there leave for that')).toBe('leave');
  });

  it('is nothing when no thing is named, or the question is not of this kind', () => {
    for (const q of [
      'is there anyone I can talk to confidentially?',
      'do we get anything for internet at home',
      'is there a way to book rooms?',
      'do I have to use vacation days to go to a conference',
      'what levels do we have for engineers?',
      'how long is parental leave?',
      'who is the head of marketing?',
      'is there?',
      'can i get a',
      // "What is …" with nothing, or nothing but a stop word, after it.
      'what is it?',
      "what's the",
      'how much is?',
      '',
    ]) {
      expect(askedObject(q), q).toBeNull();
    }
  });
});

describe('whether a passage holds the thing asked about', () => {
  const holds = (question: string, passage: string) => {
    const object = askedObject(question);
    if (!object) throw new Error(`no object in ${question}`);
    return holdsObject(object, termsOf(passage), contentWords(passage), new Map());
  };

  it('holds it by its word, in another form, or by a word of the same kind', () => {
    expect(holds('is there a referral bonus?', 'Referral bonuses are paid after three months.')).toBe(true);
    expect(
      holds('can i expense a beer with my dinner on a work trip', 'Soft drinks with meals are fine.'),
    ).toBe(true);
  });

  it('does not hold it by a word merely related to it', () => {
    expect(
      holds('is there a bonus at the end of the year?', 'Salaries are reviewed at the end of the year.'),
    ).toBe(false);
    expect(holds('does health insurance cover IVF?', 'Our health insurance covers dental care.')).toBe(false);
  });
});

describe('the weightiest word of what a message telling a situation asks', () => {
  // As search reads it (quotable-hits.ts): only a message telling a situation has one, and the situation's words
  // weigh nothing, so the word is one of what is asked.
  const weightiest = (q: string) => {
    const situation = readSituation(q).terms;
    if (situation.size === 0) return null;
    return weightiestAsked(q, topicWords(q), withoutTerms(termWeights(q, []), situation))?.typed ?? null;
  };

  it('is the rarest topic word of the asking clause, never one of the situation, shown as typed', () => {
    expect(
      weightiest("i'll be on holiday in spain and need my phone. will the Roaming charges be paid back?"),
    ).toBe('Roaming');
    expect(weightiest('my landlord is selling the flat. can the company help with a deposit?')).toBe(
      'deposit',
    );
  });

  it('is nothing without a situation (no asking clause holds a topic word), or with weights empty or all nothing', () => {
    expect(weightiest('my wife wants to ride along in the cab. is that ok?')).toBeNull();
    expect(
      weightiestAsked(
        'will the roaming charges be paid back?',
        topicWords('will the roaming charges be paid back?'),
        new Map(),
      ),
    ).toBeNull();
    expect(
      weightiestAsked(
        'will the roaming charges be paid back?',
        topicWords('will the roaming charges be paid back?'),
        new Map([['roam', 0]]),
      ),
    ).toBeNull();
    expect(weightiestAsked('', new Map(), new Map())).toBeNull();
  });
});
