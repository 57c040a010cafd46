import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { enqueueQuestion } from '../../answers/question-intake.js';
import { readableSlackText } from '../../answers/readable-text.js';
import { isSlackResponseUrl } from '../../answers/response-url.js';
import { escapeMrkdwn } from '../../blocks/answer.js';
import { ASK_COMMAND } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';

export const ASK_USAGE =
  "Ask me a question about your workspace's documents, like `/ask How do I request time off?` Only you see the answer, and you can share it in the channel.";
export const ASK_WORKING = 'Working on it… :hourglass_flowing_sand:';
export const ASK_UNAVAILABLE =
  "Sorry, I couldn't take your question right now. Please try again in a minute.";

/**
 * `/ask <question>`: acknowledged at once (well inside Slack's 3 seconds) with an ephemeral "Working on it…"
 * quoting the question, after the answer job is queued; the answer replaces it through the response_url,
 * visible to the asker only. An empty question gets the usage help. Slack never retries a slash command,
 * so when queueing fails the asker is told to try again instead.
 */
export function registerAsk(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  interactions.command(ASK_COMMAND, async ({ command, ack, context }) => {
    // Slack escapes &, < and > in a command's text as in messages.
    const question = readableSlackText(command.text).trim();
    const tenantId = tenantIdOf(context);
    if (!question || !tenantId) {
      await ack({ response_type: 'ephemeral', text: ASK_USAGE });
      return;
    }
    // The answer (the tenant's passages) goes to response_url: only ever to Slack.
    if (!isSlackResponseUrl(command.response_url, deps.slackApiUrl)) {
      deps.logger.warn({ tenantId }, '/ask refused: its response_url is not on Slack');
      await ack({ response_type: 'ephemeral', text: ASK_UNAVAILABLE });
      return;
    }
    try {
      await enqueueQuestion(deps, {
        tenantId,
        requestId: command.trigger_id,
        eventId: command.trigger_id,
        surface: 'ask',
        channelId: command.channel_id,
        userId: command.user_id,
        question,
        responseUrl: command.response_url,
      });
    } catch (err) {
      deps.logger.error({ tenantId, err: { message: (err as Error).message } }, '/ask could not be queued');
      await ack({ response_type: 'ephemeral', text: ASK_UNAVAILABLE });
      return;
    }
    const quoted = escapeMrkdwn(question.length > 500 ? `${question.slice(0, 500)}…` : question).replace(
      /\n/g,
      '\n>',
    );
    await ack({ response_type: 'ephemeral', text: `${ASK_WORKING}\n>${quoted}` });
  });
}
