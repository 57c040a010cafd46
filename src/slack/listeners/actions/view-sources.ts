import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { loadCitedPassages } from '../../../ai/answers.repo.js';
import { citationUrl } from '../../../ai/citation-url.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { describeSlackError } from '../../answers/slack-errors.js';
import { buildSourcesModal } from '../../blocks/sources-modal.js';
import { ACTION_IDS } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';
import { ANSWER_GONE } from './feedback.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "View sources" under an answer: a modal with each cited passage, matched sentences in bold. */
export function registerViewSources(interactions: SlackInteractions, deps: AnswerListenerDeps): void {
  interactions.action<BlockButtonAction>(
    ACTION_IDS.viewSources,
    async ({ ack, action, body, context, client, respond }: ButtonArgs) => {
      await ack();
      const tenantId = tenantIdOf(context);
      if (!tenantId) return;
      const cited = await withTenant(deps.db, tenantId, (c) => loadCitedPassages(c, action.value ?? ''));
      if (!cited) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: ANSWER_GONE });
        return;
      }
      const view = buildSourcesModal(cited.question, cited.passages, (p) =>
        p.documentId ? citationUrl(deps.publicUrl, { ...p, documentId: p.documentId }) : null,
      );
      try {
        await client.views.open({ trigger_id: body.trigger_id, view });
      } catch (err) {
        deps.logger.warn({ tenantId, err: describeSlackError(err) }, 'sources modal not opened');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'Slack did not open the sources just now. Press "View sources" again.',
        });
      }
    },
  );
}
