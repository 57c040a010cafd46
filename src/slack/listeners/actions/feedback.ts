import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { recordVote, type Vote } from '../../../ai/answer-feedback.repo.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { describeSlackError } from '../../answers/slack-errors.js';
import { buildFeedbackReasonModal } from '../../blocks/feedback-reason.js';
import { ACTION_IDS } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';

export const THANKS_UP = 'Thanks! You marked this answer as helpful 👍. Changed your mind? Press 👎.';
export const THANKS_DOWN =
  'Thanks, you marked this answer as not helpful 👎. Your admins will see it. Changed your mind? Press 👍.';
type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export const ANSWER_GONE = 'That answer is no longer available.';

/**
 * 👍/👎 on an answer: one vote per user, changeable (the latest press wins). 👎 also logs a knowledge gap
 * and opens a modal asking for an optional reason. The voter sees their vote in an ephemeral message.
 */
export function registerFeedback(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  const handle =
    (vote: Vote) =>
    async ({ ack, action, body, context, client, respond }: ButtonArgs): Promise<void> => {
      await ack();
      const tenantId = tenantIdOf(context);
      if (!tenantId) return;
      const answerId = action.value ?? '';
      const recorded = await withTenant(deps.db, tenantId, (c) =>
        recordVote(c, { answerId, userId: body.user.id, vote }),
      );
      if (!recorded) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: ANSWER_GONE });
        return;
      }
      if (vote === -1) {
        try {
          await client.views.open({ trigger_id: body.trigger_id, view: buildFeedbackReasonModal(answerId) });
          return;
        } catch (err) {
          // The modal is optional; the vote is stored either way.
          deps.logger.warn({ tenantId, err: describeSlackError(err) }, 'feedback reason modal not opened');
        }
      }
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: vote === 1 ? THANKS_UP : THANKS_DOWN,
      });
    };
  interactions.action<BlockButtonAction>(ACTION_IDS.feedbackUp, handle(1));
  interactions.action<BlockButtonAction>(ACTION_IDS.feedbackDown, handle(-1));
}
