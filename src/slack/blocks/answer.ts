import type { types } from '@slack/bolt';
import type { AnswerResult, AnswerSource } from '../../ai/answer.types.js';
import { ACTION_IDS, BLOCK_IDS } from '../ids.js';

type KnownBlock = types.KnownBlock;

/** Slack's limit on a section block's text. */
export const SECTION_TEXT_LIMIT = 3000;
/** Fallback `text` is what notifications and screen readers show; Slack truncates long ones anyway. */
const FALLBACK_LIMIT = 3000;
const MAX_SOURCES = 10;

/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` become entities, so content from documents or users can
 * never form a mention (`<!channel>`), a link or a user ping. With `keepQuotes`, a `>` that starts a line
 * stays literal, so block quotes still render (a lone `>` cannot open anything).
 */
export function escapeMrkdwn(text: string, opts: { keepQuotes?: boolean } = {}): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return opts.keepQuotes ? escaped.replace(/(?<!^|\n)>/g, '&gt;') : escaped.replace(/>/g, '&gt;');
}

/**
 * Escapes streamed text piece by piece exactly as `escapeMrkdwn(whole, { keepQuotes: true })` would: every
 * `&`, `<` and `>` is neutralised, and a `>` counts as a block quote only at the start of the whole text or
 * after a newline, even when a piece boundary falls just before it. Streams carry passages and model output,
 * so a `<!channel>` split across pieces must not survive either.
 */
export function createStreamEscaper(): (piece: string) => string {
  let atLineStart = true;
  return (piece) => {
    if (!piece) return piece;
    // Mid-line, a stand-in character keeps a leading `>` from looking like the start of a line.
    const prefix = atLineStart ? '' : 'x';
    atLineStart = piece.endsWith('\n');
    return escapeMrkdwn(prefix + piece, { keepQuotes: true }).slice(prefix.length);
  };
}

/** Splits text into pieces of at most `limit` characters, preferring paragraph, then line, then word breaks. */
export function splitForSections(text: string, limit = SECTION_TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find(
      (i) => i > limit / 2,
    );
    const at = cut ?? limit;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** One numbered source line: `[1] <url|Title — Section> (p. 3)`. */
export function sourceLine(s: AnswerSource): string {
  const label = escapeMrkdwn(s.section ? `${s.title} — ${s.section}` : s.title).replace(/\|/g, '¦');
  const page = s.pageStart ? ` (p. ${s.pageStart})` : '';
  return `[${s.position}] <${s.url}|${label}>${page}`;
}

const button = (text: string, actionId: string, value: string, style?: 'primary'): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** The plain fallback text of an answer (notifications, search, clients without Block Kit). */
export function answerFallbackText(result: Pick<AnswerResult, 'text'>): string {
  const text = escapeMrkdwn(result.text, { keepQuotes: true });
  return text.length > FALLBACK_LIMIT ? `${text.slice(0, FALLBACK_LIMIT - 1)}…` : text;
}

/**
 * The final answer message: the text (escaped, split under Slack's section limit), the numbered sources
 * linking to the dashboard's document view, a label for extractive answers, and 👍/👎 buttons carrying the
 * answer id. `shareable` adds "Share in channel" (for the ephemeral /ask reply).
 */
export function buildAnswerBlocks(
  answerId: string,
  result: Pick<AnswerResult, 'outcome' | 'text' | 'sources'>,
  opts: { shareable?: boolean; askedBy?: { userId: string; question: string } } = {},
): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (opts.askedBy) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `<@${opts.askedBy.userId}> asked: ${escapeMrkdwn(opts.askedBy.question).slice(0, 2900)}`,
        },
      ],
    });
  }
  for (const piece of splitForSections(escapeMrkdwn(result.text, { keepQuotes: true }))) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  if (result.outcome === 'extractive') {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':page_facing_up: *Quoted passages*, not an AI-written answer: no AI model is set up for this workspace.',
        },
      ],
    });
  }
  const sources = result.sources.slice(0, MAX_SOURCES);
  if (sources.length > 0) {
    blocks.push({
      type: 'context',
      elements: sources.map((s) => ({ type: 'mrkdwn' as const, text: sourceLine(s) })),
    });
  }
  // Only an answer can be rated or shared: not "not found" (though the closest passages shown under it can be
  // read in full), nor a reply to small talk ("thanks!").
  const found = result.outcome === 'answered' || result.outcome === 'extractive';
  const elements = found
    ? [
        button('👍 Helpful', ACTION_IDS.feedbackUp, answerId),
        button('👎 Not helpful', ACTION_IDS.feedbackDown, answerId),
      ]
    : [];
  // The passages themselves, in a modal any member can open (the links need the dashboard).
  if (sources.length > 0) elements.push(button('📄 View sources', ACTION_IDS.viewSources, answerId));
  if (found && opts.shareable)
    elements.push(button('Share in channel', ACTION_IDS.shareAnswer, answerId, 'primary'));
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: BLOCK_IDS.answerActions, elements });
  return { text: answerFallbackText(result), blocks };
}
