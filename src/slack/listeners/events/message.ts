import type { Surface } from '../../../ai/answers.repo.js';
import { smallTalkOf } from '../../../ai/small-talk.js';
import {
  type AnswerListenerDeps,
  mentionsBot,
  stripBotMention,
  tenantIdOf,
} from '../../answers/listener-deps.js';
import { enqueueQuestion } from '../../answers/question-intake.js';
import type { SlackEvents } from '../delivery-router.js';

interface IncomingMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/**
 * `message` events (message.im, message.channels, message.groups): a direct message to the bot is a
 * question (surface `dm`); a reply in a channel thread Lore already answers in is a follow-up (surface
 * `thread`), without a mention, unless it addresses someone else (`<@U…>`) or is small talk ("thanks!"). Ignored: any subtype (edits, deletions, joins, bot_message), messages from
 * bots (the bot's own included), and channel messages that mention the bot (app_mention answers those).
 * Threads of DMs and of the assistant panel belong to the Assistant listener.
 */
export function registerMessage(events: SlackEvents, deps: AnswerListenerDeps): void {
  events.on('message', async ({ event, body, context }) => {
    const m = event as unknown as IncomingMessage;
    const tenantId = tenantIdOf(context);
    if (!tenantId || m.subtype !== undefined || m.bot_id || !m.user || m.user === context.botUserId) return;
    let surface: Surface;
    let threadTs: string;
    if (m.channel_type === 'im') {
      surface = 'dm';
      threadTs = m.thread_ts ?? m.ts;
    } else {
      // Slack delivers a mention as both app_mention and message; answering both would answer twice.
      if (!m.thread_ts || m.thread_ts === m.ts || mentionsBot(m.text, context.botUserId)) return;
      // "<@U123> can you check?" in the thread is people talking to each other, not a question for Lore.
      if (/<@[UW][A-Z0-9]+(\|[^>]*)?>/.test(m.text ?? '')) return;
      if (!(await deps.threads.isIn(tenantId, m.channel, m.thread_ts))) return;
      surface = 'thread';
      threadTs = m.thread_ts;
    }
    const question = stripBotMention(m.text, context.botUserId);
    if (!question) return;
    // "thanks!", "ok cool" in a channel thread, not addressed to Lore: people talking to each other. In a DM,
    // the assistant panel or with a mention, small talk gets its short reply (small-talk.ts).
    if (surface === 'thread' && smallTalkOf(question)) return;
    await enqueueQuestion(
      deps,
      {
        tenantId,
        requestId: body.event_id,
        eventId: body.event_id,
        surface,
        channelId: m.channel,
        threadTs,
        messageTs: m.ts,
        userId: m.user,
        question,
      },
      { retryNum: context.retryNum },
    );
  });
}
