import { describe, expect, it } from 'vitest';
import {
  countedTerms,
  countsAny,
  expectedAnswerType,
  snippetsFitAnswerType,
} from '../../../src/knowledge/retrieval/answer-type.js';

describe('answer types: what a question asks for', () => {
  it('reads the type from the question word that starts a clause', () => {
    expect(expectedAnswerType('how many vacation days do we get?')).toBe('count');
    expect(expectedAnswerType('hey! how much PTO do I get per year')).toBe('amount');
    expect(expectedAnswerType('how long is maternity leave here?')).toBe('duration');
    expect(expectedAnswerType('how far in advance do i need to book 2 weeks off?')).toBe('duration');
    expect(expectedAnswerType('how often are 1:1s with my manager')).toBe('frequency');
    expect(expectedAnswerType('when is payday?')).toBe('time');
    expect(expectedAnswerType("when's payday")).toBe('time');
    expect(expectedAnswerType('until when do I need to use rolled over days')).toBe('time');
    expect(expectedAnswerType('what time does the office open')).toBe('time');
    expect(expectedAnswerType("feeling awful today, who do I tell that I'm out sick?")).toBe('person');
    expect(expectedAnswerType('does paternity leave exist? how long')).toBe('duration');
    expect(expectedAnswerType('where can I find my payslip')).toBe('place');
  });

  it('asks for no type in yes/no, "what is" and "how do I" questions, or in a clause of time', () => {
    expect(expectedAnswerType('can I bring my dog to the office?')).toBeNull();
    expect(expectedAnswerType("what's the dress code?")).toBeNull();
    expect(expectedAnswerType('how do I book a flight?')).toBeNull();
    expect(expectedAnswerType('can I keep my laptop when I leave?')).toBeNull();
    expect(expectedAnswerType('when I leave, can I keep my laptop?')).toBeNull();
    expect(expectedAnswerType('is there a limit on how many monitors I can expense?')).toBeNull();
  });

  it('knows what a "how many" question counts: the words up to the verb or a preposition', () => {
    expect([...countedTerms('how many vacation days do we get?')]).toHaveLength(2);
    expect(countedTerms('How many days of annual leave do I get per year?').size).toBe(1);
    expect(countedTerms('how many people work at fernhill?').size).toBe(2);
    expect(countedTerms('how long is probation?').size).toBe(0);
  });
});

describe('answer types: what a "how many" question accepts and refuses', () => {
  const days = countedTerms('how many vacation days do we get?');
  const employees = countedTerms('How many employees does Kestrel have?');

  it('accepts a number, in digits or words, a few words before what is counted', () => {
    expect(countsAny('Everyone gets 23 days of paid vacation a year.', days)).toBe(true);
    expect(countsAny('You get twenty-five days off.', days)).toBe(true);
    expect(countsAny('Up to 5 unused vacation days roll over.', days)).toBe(true);
    expect(countsAny('Kestrel has 120 employees in three offices.', employees)).toBe(true);
    // Synonyms count as what is counted: "PTO days" is counted by "days" as well.
    expect(countsAny('We get 23 days.', countedTerms('how many PTO days do I have'))).toBe(true);
  });

  it('refuses a passage that mentions what is counted without counting it', () => {
    expect(
      countsAny('The company pays the full premium for employees and half for partners.', employees),
    ).toBe(false);
    expect(countsAny('Referrals of former employees count if they left Kestrel.', employees)).toBe(false);
    // A number counting something else, or in another sentence, does not count it.
    expect(countsAny('You receive €2,000 once the hire has worked for three months.', employees)).toBe(false);
    expect(countsAny("within the child's first 18 months. Tell employees early.", employees)).toBe(false);
    expect(countsAny('within 18 months … employees are welcome', employees)).toBe(false);
  });

  it('lets through every question that does not count, whatever the snippets hold', () => {
    const snippets = ['Parental leave: talk to People Ops.'];
    expect(snippetsFitAnswerType('How many employees does Kestrel have?', snippets)).toBe(false);
    expect(snippetsFitAnswerType('How many employees does Kestrel have?', ['We are 120 employees.'])).toBe(
      true,
    );
    for (const q of [
      'how long is parental leave?',
      'how much is the referral bonus?',
      'when is payday?',
      'who is the head of marketing?',
      'where is the office?',
      'can I get a company car?',
    ]) {
      expect(snippetsFitAnswerType(q, snippets)).toBe(true);
    }
  });
});
