import type { BlockButtonAction } from '@slack/bolt';
import { loadAnswerView } from '../../../ai/answers.repo.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { slackErrorCode } from '../../answers/slack-errors.js';
import { buildAnswerBlocks } from '../../blocks/answer.js';
import { ACTION_IDS } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';
import { ANSWER_GONE } from './feedback.js';

export const INVITE_FIRST =
  "I can't post in this channel yet: invite me with `/invite @Lore`, then press Share again.";
const NOT_POSTABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * "Share in channel" on an ephemeral /ask answer: posts the answer (with who asked what, its sources and
 * feedback buttons) to the channel, then removes the private copy. Only the asker sees the button.
 */
export function registerShareAnswer(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  interactions.action<BlockButtonAction>(
    ACTION_IDS.shareAnswer,
    async ({ ack, action, body, context, client, respond }) => {
      await ack();
      const tenantId = tenantIdOf(context);
      const channel = body.channel?.id;
      if (!tenantId || !channel) return;
      const view = await withTenant(deps.db, tenantId, (c) =>
        loadAnswerView(c, action.value ?? '', deps.publicUrl),
      );
      if (!view || view.userId !== body.user.id) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: ANSWER_GONE });
        return;
      }
      try {
        await client.chat.postMessage({
          channel,
          ...buildAnswerBlocks(view.id, view, { askedBy: { userId: body.user.id, question: view.question } }),
        });
      } catch (err) {
        if (!NOT_POSTABLE.has(slackErrorCode(err) ?? '')) throw err;
        await respond({ response_type: 'ephemeral', replace_original: false, text: INVITE_FIRST });
        return;
      }
      await respond({ delete_original: true });
    },
  );
}
