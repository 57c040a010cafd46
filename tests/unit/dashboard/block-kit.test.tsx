import { describe, expect, it } from 'vitest';
import { BlockKitMessage } from '../../../dashboard/src/components/block-kit';
import type { SlackBlock } from '../../../src/contracts/ask.contract';
import { buildAnswerBlocks } from '../../../src/slack/blocks/answer';
import { render, texts } from './render';

const HOSTILE_TITLE = '<img src=x onerror=alert(1)> Expenses';
const HOSTILE_ANSWER = 'Submit receipts within *30 days* [1]. <script>alert(2)</script>';

/** The blocks Lore's answer service posts to Slack (the playground previews the same). */
const answerBlocks = () =>
  buildAnswerBlocks('answer-1', {
    outcome: 'answered',
    text: HOSTILE_ANSWER,
    sources: [
      {
        position: 1,
        documentId: 'd1',
        chunkId: 'c1',
        title: HOSTILE_TITLE,
        section: 'Receipts',
        pageStart: 2,
        score: 0.9,
        url: 'https://lore.example/app/documents/d1#chunk-0',
        excerpt: '',
      },
    ],
  }).blocks as SlackBlock[];

describe('BlockKitMessage', () => {
  it('shows a hostile document title and answer as text, exactly as typed: nothing in them runs', () => {
    const { html, body } = render(<BlockKitMessage blocks={answerBlocks()} />);
    expect(body.querySelector('script, img, [onerror]')).toBeNull();
    expect(html).not.toMatch(/<(script|img)\b/);
    expect(texts(body, '.bk-section')).toEqual([
      'Submit receipts within 30 days [1]. <script>alert(2)</script>',
    ]);
    const source = body.querySelector('.bk-context a');
    expect(source?.textContent).toBe(`${HOSTILE_TITLE} — Receipts`);
    expect(source?.getAttribute('href')).toBe('https://lore.example/app/documents/d1#chunk-0');
  });

  it('renders the answer mrkdwn (bold, a citation) and the vote buttons, under the bot name', () => {
    const { body } = render(<BlockKitMessage blocks={answerBlocks()} botName="Lore" />);
    expect(body.querySelector('article')?.getAttribute('aria-label')).toBe('Answer as shown in Slack');
    expect(texts(body, '.slack-meta strong')).toEqual(['Lore']);
    expect(texts(body, '.bk-section strong')).toEqual(['30 days']);
    expect(texts(body, '.bk-section .cite')).toEqual(['[1]']);
    expect(texts(body, '.bk-actions button')).toEqual(['👍 Helpful', '👎 Not helpful', '📄 View sources']);
  });

  it('renders header, fields, divider and link buttons, and names blocks it does not know', () => {
    const blocks: SlackBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: '*Not bold* <b>in a header</b>' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Plan*' },
          { type: 'plain_text', text: 'Team' },
        ],
      },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [{ type: 'button', text: 'Open dashboard', url: 'https://lore.example/app' }],
      },
      { type: 'image' },
    ];
    const { body } = render(<BlockKitMessage blocks={blocks} />);
    expect(texts(body, '.bk-header')).toEqual(['*Not bold* <b>in a header</b>']);
    expect(body.querySelector('.bk-header b')).toBeNull();
    expect(texts(body, '.bk-fields strong')).toEqual(['Plan']);
    expect(texts(body, '.bk-fields > div')).toEqual(['Plan', 'Team']);
    expect(body.querySelectorAll('hr.bk-divider')).toHaveLength(1);
    const link = body.querySelector('a.bk-button');
    expect([link?.textContent, link?.getAttribute('href')]).toEqual([
      'Open dashboard',
      'https://lore.example/app',
    ]);
    expect(texts(body, '.bk-unknown')).toEqual(['[image block]']);
  });
});
