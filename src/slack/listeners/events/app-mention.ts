import { type AnswerListenerDeps, stripBotMention, tenantIdOf } from '../../answers/listener-deps.js';
import { DEDUPE_TTL_MS, dedupeKey, enqueueQuestion } from '../../answers/question-intake.js';
import { describeSlackError } from '../../answers/slack-errors.js';
import type { SlackEvents } from '../delivery-router.js';

const EMPTY_MENTION_HELP =
  'Ask me something after the mention, like `@Lore how do I request time off?`, and I will answer in the thread.';

/**
 * `app_mention` in a channel: the question (bot mention stripped) is queued for an answer in the thread
 * (`thread_ts`, or the message itself for a new thread), and the thread is remembered, so follow-ups there
 * need no mention. Mentions by bots and edited mentions are ignored.
 */
export function registerAppMention(events: SlackEvents, deps: AnswerListenerDeps): void {
  events.on('app_mention', async ({ event, body, context, client }) => {
    const tenantId = tenantIdOf(context);
    if (!tenantId || !event.user || event.bot_id || event.subtype || 'edited' in event) return;
    const threadTs = event.thread_ts ?? event.ts;
    const question = stripBotMention(event.text, context.botUserId);
    if (!question) {
      if (
        !(await deps.kv.set(dedupeKey(body.event_id), 'queued', { onlyIfAbsent: true, ttlMs: DEDUPE_TTL_MS }))
      )
        return;
      void client.chat
        .postEphemeral({
          channel: event.channel,
          user: event.user,
          thread_ts: event.thread_ts,
          text: EMPTY_MENTION_HELP,
        })
        .catch((err: unknown) =>
          deps.logger.warn({ tenantId, err: describeSlackError(err) }, 'mention help not sent'),
        );
      return;
    }
    await enqueueQuestion(
      deps,
      {
        tenantId,
        requestId: body.event_id,
        eventId: body.event_id,
        surface: 'mention',
        channelId: event.channel,
        threadTs,
        messageTs: event.ts,
        userId: event.user,
        question,
      },
      { retryNum: context.retryNum },
    );
    // Not awaited: remembering the thread (for follow-ups, seconds away at the earliest) is one Redis round
    // trip the acknowledgement need not wait for.
    void deps.threads.join(tenantId, event.channel, threadTs).catch(() => undefined);
  });
}
