import { describe, expect, it } from 'vitest';
import type { AnswerResult, AnswerSource } from '../../../src/ai/answer.types.js';
import {
  buildAnswerBlocks,
  escapeMrkdwn,
  SECTION_TEXT_LIMIT,
  splitForSections,
} from '../../../src/slack/blocks/answer.js';
import { ACTION_IDS } from '../../../src/slack/ids.js';

const source = (over: Partial<AnswerSource> = {}): AnswerSource => ({
  position: 1,
  documentId: 'd1',
  chunkId: '1',
  title: 'Travel policy',
  section: 'Booking flights',
  pageStart: 3,
  score: 0.9,
  url: 'https://lore.example.com/app/documents/d1#chunk-4',
  excerpt: '…',
  ...over,
});
const result = (over: Partial<AnswerResult> = {}): AnswerResult => ({
  outcome: 'answered',
  text: 'Book flights 14 days ahead [1].',
  sources: [source()],
  usage: { model: 'gpt-4o-mini', promptTokens: 1, completionTokens: 1, keySource: 'platform' },
  ...over,
});
// biome-ignore lint/suspicious/noExplicitAny: assertions read blocks as JSON.
const blocksOf = (r: AnswerResult, opts = {}) => buildAnswerBlocks('ans-1', r, opts).blocks as any[];

describe('buildAnswerBlocks', () => {
  it('shows the answer, numbered sources linking to the dashboard with section and page, and 👍/👎 carrying the answer id', () => {
    const { text, blocks } = buildAnswerBlocks('ans-1', result());
    expect(text).toBe('Book flights 14 days ahead [1].');
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Book flights 14 days ahead [1].' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '[1] <https://lore.example.com/app/documents/d1#chunk-4|Travel policy — Booking flights> (p. 3)',
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'answer_actions',
        elements: [
          expect.objectContaining({ action_id: ACTION_IDS.feedbackUp, value: 'ans-1' }),
          expect.objectContaining({ action_id: ACTION_IDS.feedbackDown, value: 'ans-1' }),
          expect.objectContaining({ action_id: ACTION_IDS.viewSources, value: 'ans-1' }),
        ],
      },
    ]);
  });

  it('escapes document and model text so it cannot ping @channel, mention or link (&, <, > become entities)', () => {
    const blocks = blocksOf(
      result({
        text: 'Ask <!channel> & <@U123> <http://evil.test|here>',
        sources: [source({ title: 'A <b> & C', section: '' })],
      }),
    );
    expect(blocks[0].text.text).toBe(
      'Ask &lt;!channel&gt; &amp; &lt;@U123&gt; &lt;http://evil.test|here&gt;',
    );
    expect(blocks[1].elements[0].text).toBe(
      '[1] <https://lore.example.com/app/documents/d1#chunk-4|A &lt;b&gt; &amp; C> (p. 3)',
    );
  });

  it('keeps block quotes (a > at the start of a line) working in extractive answers, and labels them', () => {
    const blocks = blocksOf(
      result({ outcome: 'extractive', text: '_Passages:_\n\n>Flights: 14 days > 3 days [1]' }),
    );
    expect(blocks[0].text.text).toBe('_Passages:_\n\n>Flights: 14 days &gt; 3 days [1]');
    expect(JSON.stringify(blocks)).toContain('Quoted passages');
  });

  it('splits long answers into sections under Slack’s 3,000-character limit, losing nothing', () => {
    const long = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i} says something useful about travel.`,
    ).join('\n\n');
    const sections = blocksOf(result({ text: long })).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(sections.map((s) => s.text.text).join('\n\n')).toBe(long);
    expect(splitForSections('x'.repeat(7000))).toEqual([
      'x'.repeat(3000),
      'x'.repeat(3000),
      'x'.repeat(1000),
    ]);
  });

  it('has no buttons when nothing was found or for small talk, only View sources under the closest passages, and Share only where asked for', () => {
    expect(JSON.stringify(blocksOf(result({ outcome: 'no_sources', sources: [] })))).not.toContain(
      'action_id',
    );
    // Not found, with the closest passages shown: they can be read in full, but not rated or shared.
    const closest = blocksOf(result({ outcome: 'no_sources' }), { shareable: true });
    expect(closest.at(-1).elements.map((e: { action_id: string }) => e.action_id)).toEqual([
      ACTION_IDS.viewSources,
    ]);
    expect(JSON.stringify(closest)).toContain('Travel policy');
    // A reply to small talk ("thanks!") is not an answer: nothing to rate or share, even on /ask.
    const smallTalk = blocksOf(result({ outcome: 'small_talk', sources: [] }), { shareable: true });
    expect(smallTalk.map((b: { type: string }) => b.type)).toEqual(['section']);
    expect(JSON.stringify(blocksOf(result()))).not.toContain(ACTION_IDS.shareAnswer);
    expect(JSON.stringify(blocksOf(result(), { shareable: true }))).toContain(ACTION_IDS.shareAnswer);
  });

  it('escapes text for mrkdwn', () => {
    expect(escapeMrkdwn('a < b > c & d')).toBe('a &lt; b &gt; c &amp; d');
  });
});
