import { describe, expect, it } from 'vitest';
import { topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { readSituation } from '../../../src/knowledge/retrieval/situation-words.js';

/** The situation's words as typed, for readable expectations. */
const typedWords = (question: string, terms: Set<string>) => {
  const typed = topicWords(question);
  return [...terms].map((t) => typed.get(t));
};
const situation = (question: string) => typedWords(question, readSituation(question).terms);
const when = (question: string) => typedWords(question, readSituation(question).when);
const pointsBack = (question: string) => readSituation(question).pointsBack;

describe('the member’s situation, told around what they ask', () => {
  it('is the statements before or after the question, when the question names a topic of its own', () => {
    expect(situation('my grandad died yesterday. how much time off can i have?')).toEqual([
      'grandad',
      'died',
      'yesterday',
    ]);
    expect(situation('feeling awful today, who do I tell that I am out sick?')).toEqual(['feeling', 'awful']);
    // After the question too; a leading "and" or "so" does not hide a question.
    expect(situation('can I expense a taxi? I landed at 2am')).toEqual(['landed', '2am']);
    expect(situation('I changed banks, so how do I update my salary account')).toEqual(['changed', 'banks']);
  });

  it('keeps a word the question also uses in what is asked', () => {
    // "vacation" is in both: it is asked about, so it still counts.
    expect(situation('I have vacation left over. does vacation carry over to next year?')).toEqual(['left']);
  });

  it('is empty when the message is one clause, or when no clause asks', () => {
    expect(situation('how long is paternity leave')).toEqual([]);
    expect(situation('can I split my parental leave in chunks')).toEqual([]);
    expect(situation('I wonder whether contractors get parental leave')).toEqual([]);
    expect(situation('my laptop broke, need a new one')).toEqual([]);
  });

  it('is empty when what is asked names no topic: then the situation is the question', () => {
    // "is that ok" only points back at the situation.
    expect(situation('want to work from spain for 2 months this summer, is that ok')).toEqual([]);
    expect(situation('a vendor sent me champagne, is that allowed?')).toEqual([]);
  });

  it('reads every clause that ends with "?" as asking, and does not split numbers', () => {
    // Two questions: both are what is asked.
    expect(situation('the dress code at head office? can i wear jeans?')).toEqual([]);
    expect(situation('Can I expense a taxi, and what is the limit?')).toEqual([]);
    // "3.5" and "£1,500" are not clause ends.
    expect(situation('is the allowance 3.5 days?')).toEqual([]);
    expect(situation('I paid £1,500 for a course. do i pay it back if i leave?')).toEqual([
      'paid',
      '1',
      '500',
      'course',
    ]);
  });

  it('reads when the situation happens, which no passage need hold, and only in what is told', () => {
    expect(when('my grandad died yesterday. how much time off can i have?')).toEqual(['yesterday']);
    expect(when("I'm moving house next month. do we get a day off for that?")).toEqual(['next', 'month']);
    expect(when("I've been called for jury duty in two weeks. do I get paid while I'm away?")).toEqual([
      'two',
      'weeks',
    ]);
    expect(
      when('I take the train every day and it costs 150 euros a month. is there a commuting allowance?'),
    ).toEqual(['every', 'day', 'month']);
    // In what is asked, a time is part of the question: "2 weeks off", "to next year".
    expect(when('how far in advance do i need to book 2 weeks off?')).toEqual([]);
    expect(when('I have days left. can I carry them over to next year?')).toEqual([]);
    // Not a time: "a day off" is asked about; "this" alone is not a time.
    expect(when('I worked this weekend. do I get a day off?')).toEqual(['weekend']);
  });

  it('knows when what is asked points back at the situation', () => {
    expect(pointsBack("I'm moving house next month. do we get a day off for that?")).toBe(true);
    expect(pointsBack('my bike was stolen outside the office. does the company insurance cover it?')).toBe(
      true,
    );
    expect(pointsBack('the coffee machine broke. who do I report it to?')).toBe(true);
    expect(pointsBack('a vendor sent me champagne, can I keep it')).toBe(true);
    // "that" opening a clause, "her" and a named thing do not point back.
    expect(pointsBack("feeling awful today, who do I tell that I'm out sick?")).toBe(false);
    expect(pointsBack('my daughter has chickenpox. can I stay home with her?')).toBe(false);
    expect(pointsBack('my team shipped a release. is there a budget for a party?')).toBe(false);
    // One clause: no situation to point back at.
    expect(pointsBack('can I keep it?')).toBe(false);
    // Bad input reads as no situation at all, not an error.
    for (const q of ['', '   ', '?!.,', 'it. that?']) {
      expect(readSituation(q), q).toEqual({ terms: new Set(), when: new Set(), pointsBack: false, told: '' });
    }
  });
});
