import { saveFeedbackReason } from '../../../ai/answer-feedback.repo.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { BLOCK_IDS, CALLBACK_IDS, FEEDBACK_REASON_INPUT } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';

/** The 👎 reason modal was submitted: the (optional) reason is stored with that user's vote. */
export function registerFeedbackReason(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  interactions.view(CALLBACK_IDS.feedbackReasonModal, async ({ ack, view, body, context }) => {
    await ack();
    const tenantId = tenantIdOf(context);
    const reason = view.state.values[BLOCK_IDS.feedbackReason]?.[FEEDBACK_REASON_INPUT]?.value ?? '';
    if (!tenantId || !reason.trim()) return;
    await withTenant(deps.db, tenantId, (c) =>
      saveFeedbackReason(c, { answerId: view.private_metadata, userId: body.user.id, reason }),
    );
  });
}
