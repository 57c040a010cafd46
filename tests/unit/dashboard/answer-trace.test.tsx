import { describe, expect, it } from 'vitest';
import { AnswerTrace } from '../../../dashboard/src/components/answer-trace';
import type { AskTraceDto } from '../../../src/contracts/ask.contract';
import { render, texts } from './render';

const passage = {
  title: 'Travel policy',
  section: 'Hotels',
  score: 0.0328,
  termCoverage: 0.5,
  similarity: null,
};

/** A trace that declined before any model with nothing found, changed where a test says. */
const trace = (over: Partial<AskTraceDto>): AskTraceDto => ({
  searchQuery: 'wifi password',
  rewritten: false,
  passages: [],
  confident: false,
  relevant: false,
  declinedBy: 'retrieval',
  spelling: [],
  situation: [],
  askedAbout: null,
  pointsBack: null,
  ...over,
});

/** The text the trace shows for a trace changed where a test says. */
const shown = (over: Partial<AskTraceDto>) =>
  render(<AnswerTrace trace={trace(over)} />).body.textContent ?? '';

describe('the playground shows why an answer came out as it did', () => {
  it('shows the rewritten search, the passages with their scores, and that the model declined', () => {
    const { body } = render(
      <AnswerTrace
        trace={trace({
          searchQuery: 'What is the hotel limit in London?',
          rewritten: true,
          passages: [passage, { ...passage, title: 'Expenses', section: '', similarity: 0.41 }],
          relevant: true,
          declinedBy: 'model',
        })}
      />,
    );
    const text = body.textContent ?? '';
    expect(text).toContain('What is the hotel limit in London? (rewritten from the thread by the model)');
    expect(text).toContain('The model read the passages and said they do not answer');
    const rows = [...body.querySelectorAll('tbody tr')].map((tr) => texts(tr, 'td'));
    expect(rows).toEqual([
      ['Travel policy › Hotels', '0.0328', '50%', '—'],
      ['Expenses', '0.0328', '50%', '0.41'],
    ]);
  });

  it('says when retrieval declined before any model, with no passages', () => {
    const { body } = render(<AnswerTrace trace={trace({})} />);
    expect(body.textContent).toContain('Declined before any model');
    expect(body.textContent).toContain('No passages were retrieved.');
    expect(body.textContent).not.toContain('rewritten');
  });

  it("says which typos were read as the documents' words", () => {
    const { body } = render(
      <AnswerTrace
        trace={trace({
          searchQuery: 'how many vacation days do I get',
          passages: [passage],
          confident: true,
          relevant: true,
          declinedBy: null,
          spelling: [{ typed: 'vaccation', corrected: 'vacation' }],
        })}
      />,
    );
    expect(body.textContent).toContain('how many vacation days do I get (read “vaccation” as “vacation”)');
  });

  it('names the words of the member’s situation, which the passages need not hold', () => {
    const situation = (words: string[]) =>
      shown({
        searchQuery: 'my grandad died yesterday. how much time off can i have?',
        passages: [passage],
        confident: true,
        relevant: true,
        declinedBy: null,
        situation: words,
      });
    expect(situation(['grandad', 'died', 'yesterday'])).toContain(
      'Your situation“grandad”, “died”, “yesterday” (told around the question: a passage need not hold these words)',
    );
    expect(situation([])).not.toContain('Your situation');
  });

  it('says when what is asked points back at the situation, and whether a top passage holds a word of it', () => {
    const asked = (pointsBack: AskTraceDto['pointsBack']) =>
      shown({
        searchQuery: "I'm moving house next month. do we get a day off for that?",
        passages: [passage],
        relevant: true,
        situation: ['moving', 'house', 'next', 'month'],
        pointsBack,
      });
    expect(asked({ held: false })).toContain(
      '“month” (what is asked points back at it, and no top passage holds any of these words: without a model none is quoted as the answer)',
    );
    expect(asked({ held: true })).toContain(
      '“month” (what is asked points back at it: a top passage holds one of these words)',
    );
    expect(asked(null)).toContain('(told around the question: a passage need not hold these words)');
  });

  it('names the thing asked about, which a passage quoted as the answer must hold', () => {
    const asked = (askedAbout: AskTraceDto['askedAbout']) =>
      shown({
        searchQuery: 'does health insurance cover IVF?',
        passages: [passage],
        relevant: true,
        askedAbout,
      });
    expect(asked({ word: 'IVF', held: false, named: true })).toContain(
      'Asked about“IVF” (no top passage holds it, so without a model none is quoted as the answer)',
    );
    expect(asked({ word: 'physiotherapy', held: true, named: true })).toContain(
      '“physiotherapy” (a top passage holds it: without a model, only such a passage is quoted as the answer)',
    );
    // Not named by the question, but the weightiest word of what a message telling a situation asks.
    expect(asked({ word: 'roaming', held: false, named: false })).toContain(
      'Asked about“roaming” (the weightiest word of what you asked; no top passage holds it or a word near it, so without a model none is quoted as the answer unless it speaks to your whole message)',
    );
    expect(asked({ word: 'swapping', held: true, named: false })).toContain(
      '“swapping” (the weightiest word of what you asked; a top passage holds it or a word near it)',
    );
    expect(asked(null)).not.toContain('Asked about');
  });
});
