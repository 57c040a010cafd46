/**
 * Every action id, block id and callback id Lore's Slack surfaces use, in one place, so a block builder and
 * the listener that handles its button can never drift apart.
 */
export const ACTION_IDS = {
  feedbackUp: 'answer_feedback_up',
  feedbackDown: 'answer_feedback_down',
  shareAnswer: 'answer_share',
  viewSources: 'answer_view_sources',
  homeOpenDashboard: 'home_open_dashboard',
} as const;

export const BLOCK_IDS = {
  answerActions: 'answer_actions',
  feedbackReason: 'feedback_reason',
  saveThreadTitle: 'save_thread_title',
  saveThreadCollection: 'save_thread_collection',
} as const;

export const CALLBACK_IDS = {
  feedbackReasonModal: 'feedback_reason_modal',
  /** The "Save to Lore" message shortcut (manifest.json lists the same callback id). */
  saveToLoreShortcut: 'save_to_lore',
  saveThreadModal: 'save_thread_modal',
} as const;

/** The action id of the title input in the "Save to Lore" modal. */
export const SAVE_THREAD_TITLE_INPUT = 'save_thread_title_input';
export const SAVE_THREAD_COLLECTION_INPUT = 'save_thread_collection_input';

/** The action id inside the feedback-reason modal's text input. */
export const FEEDBACK_REASON_INPUT = 'feedback_reason_input';

/** The slash command that asks Lore a question (manifest.json lists the same). */
export const ASK_COMMAND = '/ask';
