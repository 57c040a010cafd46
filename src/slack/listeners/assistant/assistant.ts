import { type App, Assistant } from '@slack/bolt';
import type { Logger } from '../../../logger.js';
import { type AnswerListenerDeps, stripBotMention, tenantIdOf } from '../../answers/listener-deps.js';
import { DEDUPE_TTL_MS, dedupeKey, enqueueQuestion } from '../../answers/question-intake.js';
import { describeSlackError } from '../../answers/slack-errors.js';

export const ASSISTANT_GREETING =
  "Hi! Ask me anything about your workspace's documents: I answer from them and cite my sources. If they don't cover it, I'll say so.";

export const SUGGESTED_PROMPTS = [
  { title: 'What can you do?', message: 'What can you help me with, and where do your answers come from?' },
  { title: 'Find a policy', message: 'What is our policy on working remotely?' },
  { title: 'How do I…', message: 'How do I get access to the tools I need for my role?' },
];

const TITLE_LIMIT = 60;
// A thread is titled after its first question; the marker outlives any realistic conversation.
const TITLE_KEY_TTL_MS = 7 * 24 * 60 * 60_000;

/** Runs a Slack call after the acknowledgement, logging instead of failing: these calls only decorate. */
const later = (logger: Logger, what: string, call: () => Promise<unknown>) =>
  void call().catch((err: unknown) => logger.warn({ err: describeSlackError(err) }, `${what} failed`));

/**
 * Slack's assistant panel (Bolt's Assistant): a new thread gets a greeting and suggested prompts; a user
 * message there is queued like any question (surface `assistant`), with the "thinking" status shown and,
 * for the thread's first question, the thread titled after it.
 */
export function registerAssistant(app: App, deps: AnswerListenerDeps): void {
  const assistant = new Assistant({
    threadStarted: async ({ event, body, client, setSuggestedPrompts }) => {
      if (
        !(await deps.kv.set(dedupeKey(body.event_id), 'queued', { onlyIfAbsent: true, ttlMs: DEDUPE_TTL_MS }))
      )
        return;
      const { channel_id: channel, thread_ts } = event.assistant_thread;
      later(deps.logger, 'assistant greeting', async () => {
        await client.chat.postMessage({ channel, thread_ts, text: ASSISTANT_GREETING });
        await setSuggestedPrompts({ prompts: SUGGESTED_PROMPTS, title: 'Try asking:' });
      });
    },
    // Lore does not use the channel the user is viewing; Bolt's default would write it into message metadata.
    threadContextChanged: async () => {},
    userMessage: async ({ message, body, context, setStatus, setTitle }) => {
      const m = message as {
        user?: string;
        bot_id?: string;
        text?: string;
        ts: string;
        thread_ts?: string;
        channel: string;
      };
      const tenantId = tenantIdOf(context);
      if (!tenantId || !m.user || m.bot_id || !m.thread_ts) return;
      const question = stripBotMention(m.text, context.botUserId);
      if (!question) return;
      await enqueueQuestion(
        deps,
        {
          tenantId,
          requestId: body.event_id,
          eventId: body.event_id,
          surface: 'assistant',
          channelId: m.channel,
          threadTs: m.thread_ts,
          messageTs: m.ts,
          userId: m.user,
          question,
        },
        { retryNum: context.retryNum },
      );
      // A retry may come after the answer was posted, and a status set then would stay up under it.
      if (!context.retryNum)
        later(deps.logger, 'assistant status', () => setStatus('is looking through your documents…'));
      const titleKey = `assistant-title:${m.channel}:${m.thread_ts}`;
      if (
        await deps.kv.set(titleKey, '1', { onlyIfAbsent: true, ttlMs: TITLE_KEY_TTL_MS }).catch(() => false)
      ) {
        const title = question.length > TITLE_LIMIT ? `${question.slice(0, TITLE_LIMIT - 1)}…` : question;
        later(deps.logger, 'assistant title', () => setTitle(title));
      }
    },
  });
  app.assistant(assistant);
}
