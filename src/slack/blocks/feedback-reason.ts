import type { types } from '@slack/bolt';
import { BLOCK_IDS, CALLBACK_IDS, FEEDBACK_REASON_INPUT } from '../ids.js';

/** The optional "what was wrong?" modal a 👎 opens; the answer id rides along in private_metadata. */
export function buildFeedbackReasonModal(answerId: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.feedbackReasonModal,
    private_metadata: answerId,
    title: { type: 'plain_text', text: 'What was wrong?' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Skip' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Thanks, your 👎 is recorded. If you like, tell your admins what was missing or wrong: it helps them fix the knowledge base.',
        },
      },
      {
        type: 'input',
        block_id: BLOCK_IDS.feedbackReason,
        optional: true,
        label: { type: 'plain_text', text: 'Reason (optional)' },
        element: {
          type: 'plain_text_input',
          action_id: FEEDBACK_REASON_INPUT,
          multiline: true,
          max_length: 2000,
          placeholder: { type: 'plain_text', text: 'e.g. the policy changed last month' },
        },
      },
    ],
  };
}
