import type { MessageShortcut } from '@slack/bolt';
import { saveTargetsFor } from '../../../knowledge/collections/save-targets.js';
import { enqueueThreadSave } from '../../../knowledge/threads/thread-save.job.js';
import { getThreadSavePolicy } from '../../../tenants/settings/settings.service.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { describeSlackError } from '../../answers/slack-errors.js';
import {
  buildSaveThreadModal,
  defaultThreadTitle,
  parseSaveThreadMetadata,
} from '../../blocks/save-thread.js';
import { BLOCK_IDS, CALLBACK_IDS, SAVE_THREAD_COLLECTION_INPUT, SAVE_THREAD_TITLE_INPUT } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';

export const ADMINS_ONLY =
  'In this workspace only admins and owners may save threads to Lore. Ask one of them, or ask them to change this in the Lore dashboard settings.';

/**
 * "Save to Lore" on any message: checks the workspace's setting (everyone, or admins only), then opens a
 * small modal (title). Its submission queues the `thread-save` job, which reads the thread with the bot
 * token in the worker and tells the member how it went.
 */
export function registerSaveToLore(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  interactions.shortcut<MessageShortcut>(
    { callback_id: CALLBACK_IDS.saveToLoreShortcut, type: 'message_action' },
    async ({ ack, shortcut, context, client, respond }) => {
      await ack();
      const tenantId = tenantIdOf(context);
      if (!tenantId) return;
      if ((await getThreadSavePolicy(deps.db, tenantId)) === 'admins') {
        const { user } = await client.users
          .info({ user: shortcut.user.id })
          .catch(() => ({ user: undefined }));
        if (!user?.is_admin && !user?.is_owner && !user?.is_primary_owner) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: ADMINS_ONLY });
          return;
        }
      }
      const message = shortcut.message as { ts: string; thread_ts?: string; text?: string };
      const meta = {
        channelId: shortcut.channel.id,
        threadTs: message.thread_ts ?? message.ts,
        responseUrl: shortcut.response_url,
      };
      try {
        const targets = await saveTargetsFor(deps.db, tenantId, meta.channelId);
        await client.views.open({
          trigger_id: shortcut.trigger_id,
          view: buildSaveThreadModal(meta, defaultThreadTitle(message.text), targets),
        });
      } catch (err) {
        deps.logger.warn({ tenantId, err: describeSlackError(err) }, 'save-to-lore modal not opened');
      }
    },
  );

  interactions.view(CALLBACK_IDS.saveThreadModal, async ({ ack, view, body, context }) => {
    const title = (
      view.state.values[BLOCK_IDS.saveThreadTitle]?.[SAVE_THREAD_TITLE_INPUT]?.value ?? ''
    ).trim();
    if (!title) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_IDS.saveThreadTitle]: 'Give the document a title.' },
      });
      return;
    }
    const tenantId = tenantIdOf(context);
    const meta = parseSaveThreadMetadata(view.private_metadata);
    const picked =
      view.state.values[BLOCK_IDS.saveThreadCollection]?.[SAVE_THREAD_COLLECTION_INPUT]?.selected_option
        ?.value;
    // Only an id Lore offered is passed on; the job checks it is still a collection of this workspace.
    const collectionId = picked && /^[0-9a-f-]{36}$/.test(picked) ? picked : undefined;
    // Queued before the modal closes: if the queue refuses, Slack keeps the modal open with an error.
    if (tenantId && meta) {
      await enqueueThreadSave(
        deps.queue,
        { tenantId, ...meta, title, userId: body.user.id, collectionId },
        view.id,
      );
    }
    await ack();
  });
}
