import { type Database, isDatabaseUnreachable } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { JobContext } from '../infra/queue/job-queue.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import { answerScopeFor } from '../knowledge/collections/answer-scope.js';
import type { Logger } from '../logger.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { answerFactsOfCurrentTenant, touchTenantActivity } from '../tenants/tenants.repo.js';
import { checkMonthlyQuota, checkRateLimits, limitMessage } from '../usage/limits.service.js';
import { recordUsage } from '../usage/usage.repo.js';
import type { AnswerPayload } from './answer.job.js';
import { type AnswerDeps, answerQuestion } from './answer.service.js';
import type { AnswerResult } from './answer.types.js';
import type { AnswerReplier, ReplyTarget } from './answer-replier.js';
import { type AnswerRow, claimAnswer, completeAnswer, recordPosted } from './answers.repo.js';
import { postedMessageNotes } from './posted-message-notes.js';
import { costUsd } from './prices.js';

/** Tries per Slack question (the playground gets one: a person is waiting in the browser). */
export const ANSWER_ATTEMPTS = 3;
/** How long an event is remembered as counted against the rate limits (longer than its retries run). */
const RATE_COUNTED_TTL_MS = 15 * 60_000;

export const APOLOGY =
  "Sorry, I couldn't answer that just now: the AI service isn't responding. Please try again in a few minutes.";

export interface AnswerJobDeps extends AnswerDeps {
  db: Database;
  kv: KeyValueStore;
  replier: AnswerReplier;
  logger: Logger;
  /** Called after platform-key usage was metered (the quota watch: limit warnings to admins). */
  afterPlatformUsage?: (tenantId: string) => Promise<void>;
}

/** What one run of the answer pipeline recorded. */
export interface AnswerRun {
  /** The answer row; null when nothing was recorded (workspace not active, channel not enabled). */
  answerId: string | null;
  outcome: AnswerRow['outcome'] | null;
  /** The answer itself, when one was made (not for limits, failures or a retry of a finished answer). */
  result?: AnswerResult;
  latencyMs: number;
  /** Why the last attempt failed (the failure is recorded, and the asker got an apology). */
  error?: unknown;
  /** For a limit: when it lifts. */
  retryAt?: Date;
}

const NOT_RECORDED: AnswerRun = { answerId: null, outcome: null, latencyMs: 0 };

/**
 * One answer, start to finish: what the job runs, and what the playground calls for the result. Resolves
 * with what was recorded; `error` is set when the last attempt failed (recorded as `failed`, apology sent).
 */
export async function runAnswer(deps: AnswerJobDeps, p: AnswerPayload, ctx: JobContext): Promise<AnswerRun> {
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
  // Everything the answer needs to know about the tenant, in one transaction: status, channel setting,
  // style, the plan's limits, its own OpenAI key (sealed), so the key is looked up once per answer, and the
  // collections this channel (or DM, /ask, assistant) may draw on: enforced in lore.hybrid_search.
  const tenant = await tx(async (c) => {
    const facts = await answerFactsOfCurrentTenant(c);
    if (!facts) return undefined;
    const scope = await answerScopeFor(c, { surface: p.surface, channelId: p.channelId });
    return { ...facts, limits: await getPlanLimits(c), scope };
  });
  if (tenant?.status !== 'active') {
    log.info('answer skipped: workspace not active');
    return NOT_RECORDED;
  }
  // DMs, the dashboard playground and API keys are never restricted by the channel setting.
  const unrestricted = p.channelId.startsWith('D') || p.surface === 'playground' || p.surface === 'api';
  if (!unrestricted && tenant.channelMode === 'selected' && !tenant.allowedChannels.includes(p.channelId)) {
    await deps.replier.notice(
      target,
      "I'm not enabled in this channel. Ask me in a direct message, or ask an admin to turn me on here.",
    );
    return NOT_RECORDED;
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
  if (answer.outcome !== 'pending' && answer.outcome !== 'failed') {
    log.info('answer already delivered');
    return { answerId: answer.id, outcome: answer.outcome, latencyMs: 0 };
  }

  const finishWithout = async (
    outcome: 'rate_limited' | 'over_quota' | 'failed',
    text: string,
    notify = true,
    retryAt?: Date,
  ): Promise<AnswerRun> => {
    if (notify) await deps.replier.notice(target, text);
    const latencyMs = Date.now() - p.receivedAt;
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
        latencyMs,
      }),
    );
    return { answerId: answer.id, outcome, latencyMs, retryAt };
  };

  const { limits } = tenant;
  // Once per event: a first attempt runs again without spending an attempt when its worker died or the
  // database was away, and each of those runs must not count as another question.
  const firstCount =
    ctx.attempt === 1 &&
    (await deps.kv.set(`rate-counted:${p.tenantId}:${p.eventId}`, '1', {
      ttlMs: RATE_COUNTED_TTL_MS,
      onlyIfAbsent: true,
    }));
  const rateHit = firstCount
    ? await checkRateLimits(deps.kv, { tenantId: p.tenantId, userId: p.userId, limits })
    : null;
  if (rateHit) return finishWithout('rate_limited', limitMessage(rateHit), true, rateHit.resetAt);
  const provider = await deps.llmFor(p.tenantId, { sealedKey: tenant.openAiKeySealed });
  if (provider?.keySource === 'platform') {
    const quotaHit = await tx((c) => checkMonthlyQuota(c, limits));
    if (quotaHit) return finishWithout('over_quota', limitMessage(quotaHit), true, quotaHit.resetAt);
  }

  await deps.replier.thinking(target);
  const thread =
    target.threadTs && target.threadTs !== p.messageTs
      ? await deps.replier.threadHistory(target, p.messageTs)
      : [];
  // The message an earlier attempt posted: from the row, or from the note an attempt that could not record
  // it left (see posted-message-notes.ts). A retry edits it instead of posting another.
  const notes = postedMessageNotes(deps.kv);
  const recorded =
    answer.postedTs && answer.postedChannelId
      ? { channelId: answer.postedChannelId, ts: answer.postedTs }
      : null;
  const posted = recorded ?? (await notes.find(answer.id));
  let reply: Awaited<ReturnType<AnswerReplier['begin']>> | undefined;
  const ensureReply = async () => {
    if (reply) return reply;
    reply = await deps.replier.begin(target, posted);
    const { channelId, ts } = reply;
    if (!recorded && ts) {
      if (!posted) await notes.note(answer.id, { channelId, ts });
      await tx((c) => recordPosted(c, answer.id, channelId, ts));
    }
    return reply;
  };
  try {
    const result = await answerQuestion(
      {
        ...deps,
        llmFor: async () => provider,
        onRewriteError: (err) => log.warn({ err }, 'follow-up rewrite failed: searching it as typed'),
      },
      {
        tenantId: p.tenantId,
        question: p.question,
        thread,
        style: tenant.style,
        instructions: tenant.instructions,
        scope: { collectionIds: tenant.scope.collectionIds },
        channelInstructions: tenant.scope.channelInstructions,
      },
      async (delta) => (await ensureReply()).append(delta),
    );
    await (await ensureReply()).finish(answer.id, result);
    const cost = result.usage.model
      ? (costUsd(result.usage.model, result.usage.promptTokens, result.usage.completionTokens) ?? 0)
      : 0;
    const latencyMs = Date.now() - p.receivedAt;
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
        latencyMs,
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
        latencyMs,
        outcome: result.outcome,
      });
      await touchTenantActivity(c, p.tenantId);
    });
    if (result.usage.keySource === 'platform' && deps.afterPlatformUsage) {
      await deps
        .afterPlatformUsage(p.tenantId)
        .catch((err: unknown) => log.warn({ err }, 'quota warnings not checked'));
    }
    return { answerId: answer.id, outcome: result.outcome, result, latencyMs };
  } catch (err) {
    log.warn({ err, attempt: ctx.attempt }, 'answer attempt failed');
    // The database is away: the worker runs this again once it is back (no apology for a pause).
    if (isDatabaseUnreachable(err)) throw err;
    // The playground and an API caller are waiting on the request: no retry, the apology is returned at once.
    if (ctx.attempt < ANSWER_ATTEMPTS && p.surface !== 'playground' && p.surface !== 'api') throw err;
    // Out of attempts: the asker gets a short apology (never the raw error), the operator a failed job.
    if (reply) await reply.abort(APOLOGY);
    return { ...(await finishWithout('failed', APOLOGY, !reply)), error: err };
  }
}
