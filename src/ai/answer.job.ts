import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { checkMonthlyQuota, checkRateLimits, limitMessage } from '../usage/limits.service.js';
import { recordUsage } from '../usage/usage.repo.js';
import { type AnswerDeps, answerQuestion } from './answer.service.js';
import type { AnswerReplier, ReplyTarget } from './answer-replier.js';
import { claimAnswer, completeAnswer, recordPosted, type Surface } from './answers.repo.js';
import { costUsd } from './prices.js';

export const ANSWER_JOB = 'answer';
export const ANSWER_ATTEMPTS = 3;

/** Payload of the `answer` job (version 1), queued by the Slack listeners. */
export interface AnswerPayload {
  v: 1;
  tenantId: string;
  requestId?: string;
  /** Slack's event id (or the command's trigger id): one answer per key, however often it is delivered. */
  eventId: string;
  surface: Surface;
  channelId: string;
  threadTs?: string;
  messageTs?: string;
  userId: string;
  question: string;
  responseUrl?: string;
  /** When Lore received the event (epoch ms), for answer latency. */
  receivedAt: number;
}

export const APOLOGY =
  "Sorry, I couldn't answer that just now: the AI service isn't responding. Please try again in a few minutes.";

export interface AnswerJobDeps extends AnswerDeps {
  db: Database;
  kv: KeyValueStore;
  replier: AnswerReplier;
  logger: Logger;
}

interface TenantContext {
  status: string;
  channelMode: 'all' | 'selected';
  allowedChannels: string[];
  style: 'concise' | 'detailed';
  instructions: string;
}

/**
 * The `answer` job: checks (tenant active, channel enabled, rate limits, monthly quota) → thread context →
 * grounded answer streamed into Slack → answer, citations, usage and knowledge gap recorded exactly once.
 * A retry after a crash edits the message it already posted; a retry after completion does nothing.
 */
export function createAnswerJob(deps: AnswerJobDeps): JobHandler {
  return async (raw, ctx) => {
    const p = raw as AnswerPayload;
    const log = deps.logger.child({ tenantId: p.tenantId, eventId: p.eventId, requestId: p.requestId });
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, p.tenantId, fn);
    const target: ReplyTarget = {
      tenantId: p.tenantId,
      surface: p.surface,
      channelId: p.channelId,
      threadTs: p.threadTs ?? p.messageTs,
      userId: p.userId,
      responseUrl: p.responseUrl,
    };
    const tenant = await tx(async (c) => {
      const { rows } = await c.query<TenantContext>(
        `SELECT t.status, s.channel_mode AS "channelMode", s.allowed_channel_ids AS "allowedChannels",
                s.answer_style AS style, s.instructions
         FROM lore.tenants t JOIN lore.tenant_settings s ON s.tenant_id = t.id`,
      );
      return rows[0];
    });
    if (!tenant || tenant.status !== 'active') return log.info('answer skipped: workspace not active');
    // DMs and the dashboard playground are never restricted by the channel setting.
    const unrestricted = p.channelId.startsWith('D') || p.surface === 'playground';
    if (!unrestricted && tenant.channelMode === 'selected' && !tenant.allowedChannels.includes(p.channelId)) {
      await deps.replier.notice(
        target,
        "I'm not enabled in this channel. Ask me in a direct message, or ask an admin to turn me on here.",
      );
      return;
    }
    const answer = await tx((c) =>
      claimAnswer(c, {
        tenantId: p.tenantId,
        idempotencyKey: p.eventId,
        surface: p.surface,
        channelId: p.channelId,
        threadTs: target.threadTs ?? '',
        userId: p.userId,
        question: p.question,
      }),
    );
    if (answer.outcome !== 'pending' && answer.outcome !== 'failed')
      return log.info('answer already delivered');

    const finishWithout = async (
      outcome: 'rate_limited' | 'over_quota' | 'failed',
      text: string,
      notify = true,
    ) => {
      if (notify) await deps.replier.notice(target, text);
      await tx((c) =>
        completeAnswer(c, {
          tenantId: p.tenantId,
          answerId: answer.id,
          question: p.question,
          outcome,
          text,
          sources: [],
          model: null,
          keySource: 'none',
          promptTokens: 0,
          completionTokens: 0,
          costUsd: 0,
          latencyMs: Date.now() - p.receivedAt,
        }),
      );
    };

    const limits = await tx(getPlanLimits);
    const rateHit =
      ctx.attempt === 1
        ? await checkRateLimits(deps.kv, { tenantId: p.tenantId, userId: p.userId, limits })
        : null;
    if (rateHit) return finishWithout('rate_limited', limitMessage(rateHit));
    const provider = await deps.llmFor(p.tenantId);
    if (provider?.keySource === 'platform') {
      const quotaHit = await tx((c) => checkMonthlyQuota(c, limits));
      if (quotaHit) return finishWithout('over_quota', limitMessage(quotaHit));
    }

    await deps.replier.thinking(target);
    const thread =
      target.threadTs && target.threadTs !== p.messageTs
        ? await deps.replier.threadHistory(target, p.messageTs)
        : [];
    const posted =
      answer.postedTs && answer.postedChannelId
        ? { channelId: answer.postedChannelId, ts: answer.postedTs }
        : null;
    let reply: Awaited<ReturnType<AnswerReplier['begin']>> | undefined;
    const ensureReply = async () => {
      if (reply) return reply;
      reply = await deps.replier.begin(target, posted);
      const { channelId, ts } = reply;
      if (!posted && ts) await tx((c) => recordPosted(c, answer.id, channelId, ts));
      return reply;
    };
    try {
      const result = await answerQuestion(
        { ...deps, llmFor: async () => provider },
        {
          tenantId: p.tenantId,
          question: p.question,
          thread,
          style: tenant.style,
          instructions: tenant.instructions,
        },
        async (delta) => (await ensureReply()).append(delta),
      );
      await (await ensureReply()).finish(answer.id, result);
      const cost = result.usage.model
        ? (costUsd(result.usage.model, result.usage.promptTokens, result.usage.completionTokens) ?? 0)
        : 0;
      await tx(async (c) => {
        await completeAnswer(c, {
          tenantId: p.tenantId,
          answerId: answer.id,
          question: p.question,
          outcome: result.outcome,
          text: result.text,
          sources: result.sources,
          model: result.usage.model || null,
          keySource: result.usage.keySource,
          promptTokens: result.usage.promptTokens,
          completionTokens: result.usage.completionTokens,
          costUsd: cost,
          latencyMs: Date.now() - p.receivedAt,
        });
        await recordUsage(c, {
          tenantId: p.tenantId,
          kind: 'answer',
          idempotencyKey: `answer-${p.eventId}`,
          answerId: answer.id,
          model: result.usage.model,
          keySource: result.usage.keySource,
          promptTokens: result.usage.promptTokens,
          completionTokens: result.usage.completionTokens,
          costUsd: cost,
          slackChannelId: p.channelId,
          slackUserId: p.userId,
          latencyMs: Date.now() - p.receivedAt,
          outcome: result.outcome,
        });
        await c.query('UPDATE lore.tenants SET last_activity_at = now() WHERE id = $1', [p.tenantId]);
      });
    } catch (err) {
      log.warn({ err, attempt: ctx.attempt }, 'answer attempt failed');
      // The playground has a person waiting in the browser: no retry, the apology is shown at once.
      if (ctx.attempt < ANSWER_ATTEMPTS && p.surface !== 'playground') throw err;
      // Out of attempts: the asker gets a short apology (never the raw error), the operator a failed job.
      if (reply) await reply.abort(APOLOGY);
      await finishWithout('failed', APOLOGY, !reply);
      throw err;
    }
  };
}
