import type { types } from '@slack/bolt';
import type { CitedPassage } from '../../ai/answers.repo.js';
import { matchedSentences } from '../../knowledge/retrieval/matched-sentences.js';
import { escapeMrkdwn } from './answer.js';

/** Slack's limits: 3,000 characters per section text, 100 blocks per view. */
const SECTION_LIMIT = 2_900;
const MAX_CITATIONS = 20;

const dateOf = (d: Date) =>
  new Date(d).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** "p. 3" / "pp. 3–4" when the document has pages, else "passage 5" (1-based, as people count). */
function placeOf(p: CitedPassage): string {
  if (p.pageStart && p.pageEnd && p.pageEnd !== p.pageStart) return `pp. ${p.pageStart}–${p.pageEnd}`;
  if (p.pageStart) return `p. ${p.pageStart}`;
  return p.ordinal === null ? '' : `passage ${p.ordinal + 1}`;
}

/** The passage with the sentences that matched the question in bold (asterisks inside are dropped). */
export function highlightedPassage(question: string, content: string): string {
  const text = matchedSentences(question, content)
    .map((s) => {
      const safe = escapeMrkdwn(s.text);
      return s.matched ? `*${safe.replace(/\*/g, '')}*` : safe;
    })
    .join(' ');
  return text.length > SECTION_LIMIT ? `${text.slice(0, SECTION_LIMIT - 1)}…` : text;
}

/**
 * "View sources": per citation its title and section, page or passage number, when that version was
 * added, and the passage with the sentences matching the question in bold, linking to the member view.
 */
export function buildSourcesModal(
  question: string,
  passages: CitedPassage[],
  linkOf: (p: CitedPassage) => string | null,
): types.ModalView {
  const blocks: types.KnownBlock[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Sources for: ${escapeMrkdwn(question).slice(0, 2_800)}` }],
    },
  ];
  for (const p of passages.slice(0, MAX_CITATIONS)) {
    const name = escapeMrkdwn(p.section ? `${p.title} — ${p.section}` : p.title);
    const link = linkOf(p);
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*[${p.position}]* ${link ? `<${link}|${name}>` : `*${name}*`}` },
    });
    const facts = [placeOf(p), p.versionAddedAt ? `version added ${dateOf(p.versionAddedAt)}` : ''].filter(
      Boolean,
    );
    if (facts.length)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] });
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: p.content
          ? highlightedPassage(question, p.content)
          : '_This passage is no longer in the knowledge base (the document was changed or deleted)._',
      },
    });
  }
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Sources' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}
