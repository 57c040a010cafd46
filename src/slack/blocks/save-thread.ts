import type { types } from '@slack/bolt';
import { BLOCK_IDS, CALLBACK_IDS, SAVE_THREAD_COLLECTION_INPUT, SAVE_THREAD_TITLE_INPUT } from '../ids.js';

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

/** A collection the member may save into (Slack caps a select at 100 options; so does Lore, per workspace). */
export interface CollectionOption {
  id: string;
  name: string;
}

/**
 * The small modal before a thread is saved: it says what will happen and lets the member edit the title and,
 * when the workspace has more than one collection, pick the collection (the channel's is preselected).
 */
export function buildSaveThreadModal(
  meta: SaveThreadMetadata,
  title: string,
  collections: { options: CollectionOption[]; preselected: string | null } = {
    options: [],
    preselected: null,
  },
): types.ModalView {
  const option = (c: CollectionOption) => ({
    text: { type: 'plain_text' as const, text: c.name.slice(0, 75) },
    value: c.id,
  });
  const initial = collections.options.find((c) => c.id === collections.preselected);
  const picker: types.KnownBlock[] =
    collections.options.length > 1
      ? [
          {
            type: 'input',
            block_id: BLOCK_IDS.saveThreadCollection,
            label: { type: 'plain_text', text: 'Collection' },
            hint: {
              type: 'plain_text',
              text: 'Who can get answers from it: the channels that use this collection.',
            },
            element: {
              type: 'static_select',
              action_id: SAVE_THREAD_COLLECTION_INPUT,
              options: collections.options.slice(0, 100).map(option),
              ...(initial ? { initial_option: option(initial) } : {}),
            },
          },
        ]
      : [];
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
      ...picker,
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
