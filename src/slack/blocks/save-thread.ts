import type { types } from '@slack/bolt';
import { BLOCK_IDS, CALLBACK_IDS, SAVE_THREAD_TITLE_INPUT } from '../ids.js';

/** What the "Save to Lore" modal carries from the shortcut to its submission (private_metadata, JSON). */
export interface SaveThreadMetadata {
  channelId: string;
  threadTs: string;
  responseUrl?: string;
}

/** A default title: the thread's first line, without Slack markup, at most 80 characters. */
export function defaultThreadTitle(text: string | undefined): string {
  const line = (text ?? '')
    .replace(/<[^>|]*\|([^>]*)>/g, '$1')
    .replace(/<[^>]*>/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  return (line ?? 'Saved Slack thread').slice(0, 80);
}

/**
 * The small modal before a thread is saved: it says what will happen and lets the member edit the title.
 * (The collection picker joins it with collections.)
 */
export function buildSaveThreadModal(meta: SaveThreadMetadata, title: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.saveThreadModal,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Save to Lore' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Lore will save the whole thread, with who wrote what and when and a link back to it, to your knowledge base. Answers can then cite it.',
        },
      },
      {
        type: 'input',
        block_id: BLOCK_IDS.saveThreadTitle,
        label: { type: 'plain_text', text: 'Title' },
        element: {
          type: 'plain_text_input',
          action_id: SAVE_THREAD_TITLE_INPUT,
          initial_value: title,
          max_length: 200,
        },
      },
    ],
  };
}

/** Reads the modal's metadata back; null when it is not what Lore wrote. */
export function parseSaveThreadMetadata(raw: string): SaveThreadMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<SaveThreadMetadata>;
    if (typeof m.channelId !== 'string' || !/^[CGD][A-Z0-9]+$/.test(m.channelId)) return null;
    if (typeof m.threadTs !== 'string' || !/^\d+\.\d+$/.test(m.threadTs)) return null;
    return {
      channelId: m.channelId,
      threadTs: m.threadTs,
      responseUrl: typeof m.responseUrl === 'string' ? m.responseUrl : undefined,
    };
  } catch {
    return null;
  }
}
