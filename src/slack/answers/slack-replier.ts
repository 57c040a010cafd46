import { LRUCache } from 'lru-cache';
import type { AnswerReplier, ReplyHandle, ReplyTarget } from '../../ai/answer-replier.js';
import type { Logger } from '../../logger.js';
import type { ClientFactory } from '../client-factory.js';
import {
  createResponseUrlReply,
  createStreamReply,
  createUpdatingReply,
  DEFAULT_TIMING,
  postToResponseUrl,
  type ReplyTiming,
} from './reply-handles.js';
import { describeSlackError, isStreamingUnavailable } from './slack-errors.js';
import { fetchThreadHistory } from './thread-history.js';

/** What the replier needs to know about a tenant's installation. */
export interface InstallationFacts {
  teamId?: string | null;
  botId?: string | null;
  botUserId?: string | null;
}

export interface SlackReplierDeps {
  clients: Pick<ClientFactory, 'getClient'>;
  /** The tenant's team and bot ids (streaming needs the team; thread history tells the bot's messages apart). */
  installationOf: (tenantId: string) => Promise<InstallationFacts>;
  logger: Logger;
  /** SLACK_API_URL: response_urls must be on Slack's hooks host or this origin. */
  slackApiUrl: string;
  fetch?: typeof fetch;
  timing?: Partial<ReplyTiming>;
  /** How long a workspace that refused chat.startStream goes straight to the fallback (default ten minutes). */
  streamingRetryMs?: number;
}

const THINKING_STATUS = 'is looking through your documents…';
const PLACEHOLDER = '_Looking through your documents…_';
/** Workspaces whose "no streaming here" is remembered at once. */
const NO_STREAMING_TENANTS = 10_000;
const isDm = (channelId: string) => channelId.startsWith('D');

/**
 * The Slack side of the answer job (AnswerReplier): thread history from conversations.replies, notices as
 * ephemeral messages (plain messages in DMs, response_url for /ask), "thinking" status in assistant threads,
 * and replies streamed with chat.startStream/appendStream/stopStream, falling back to chat.postMessage plus
 * throttled chat.update where streaming is not available.
 */
export function createSlackReplier(deps: SlackReplierDeps): AnswerReplier {
  const log = deps.logger.child({ component: 'slack-replier' });
  const timing: ReplyTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const fetchFn = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  // Per workspace; bounded, as a worker meets every workspace in time (an evicted one only tries again).
  const noStreamingUntil = new LRUCache<string, number>({ max: NO_STREAMING_TENANTS });
  const streamingRetryMs = deps.streamingRetryMs ?? 10 * 60_000;

  async function startStream(t: ReplyTarget, threadTs: string): Promise<ReplyHandle | null> {
    if ((noStreamingUntil.get(t.tenantId) ?? 0) > timing.now()) return null;
    const client = await deps.clients.getClient(t.tenantId);
    const { teamId } = await deps.installationOf(t.tenantId);
    // Outside a DM, Slack streams to one recipient and requires naming them.
    const recipient =
      !isDm(t.channelId) && teamId ? { recipient_team_id: teamId, recipient_user_id: t.userId } : {};
    try {
      const res = await client.chat.startStream({ channel: t.channelId, thread_ts: threadTs, ...recipient });
      if (!res.ts) return null;
      return createStreamReply(client, { channelId: t.channelId, ts: res.ts }, timing, log);
    } catch (err) {
      if (!isStreamingUnavailable(err)) throw err;
      log.info(
        { tenantId: t.tenantId, err: describeSlackError(err) },
        'streaming unavailable: posting and updating',
      );
      noStreamingUntil.set(t.tenantId, timing.now() + streamingRetryMs);
      return null;
    }
  }

  return {
    async threadHistory(t, beforeTs) {
      if (!t.threadTs) return [];
      try {
        const client = await deps.clients.getClient(t.tenantId);
        const bot = await deps.installationOf(t.tenantId);
        return await fetchThreadHistory(
          client,
          { channelId: t.channelId, threadTs: t.threadTs, beforeTs },
          bot,
        );
      } catch (err) {
        // Context makes answers better but is not worth failing the answer over.
        log.warn({ tenantId: t.tenantId, err: describeSlackError(err) }, 'thread history unavailable');
        return [];
      }
    },

    async notice(t, text) {
      if (t.responseUrl) {
        await postToResponseUrl(
          fetchFn,
          t.responseUrl,
          { response_type: 'ephemeral', replace_original: true, text },
          deps.slackApiUrl,
        );
        return;
      }
      const client = await deps.clients.getClient(t.tenantId);
      const thread = t.threadTs ? { thread_ts: t.threadTs } : {};
      if (isDm(t.channelId)) {
        await client.chat.postMessage({ channel: t.channelId, text, ...thread });
        return;
      }
      await client.chat.postEphemeral({ channel: t.channelId, user: t.userId, text, ...thread });
    },

    async thinking(t) {
      if (t.surface !== 'assistant' || !t.threadTs) return;
      try {
        const client = await deps.clients.getClient(t.tenantId);
        await client.assistant.threads.setStatus({
          channel_id: t.channelId,
          thread_ts: t.threadTs,
          status: THINKING_STATUS,
        });
      } catch (err) {
        log.warn(
          { tenantId: t.tenantId, err: describeSlackError(err) },
          'could not set the assistant status',
        );
      }
    },

    async begin(t, posted) {
      if (t.responseUrl) return createResponseUrlReply(fetchFn, t.channelId, t.responseUrl, deps.slackApiUrl);
      const client = await deps.clients.getClient(t.tenantId);
      if (posted) {
        // A crashed attempt may have left its stream open; closing it first lets chat.update take over.
        await client.chat.stopStream({ channel: posted.channelId, ts: posted.ts }).catch(() => undefined);
        return createUpdatingReply(client, posted, timing, { justPosted: false });
      }
      if (t.threadTs) {
        const streamed = await startStream(t, t.threadTs);
        if (streamed) return streamed;
      }
      const thread = t.threadTs ? { thread_ts: t.threadTs } : {};
      const res = await client.chat.postMessage({ channel: t.channelId, text: PLACEHOLDER, ...thread });
      return createUpdatingReply(
        client,
        { channelId: res.channel ?? t.channelId, ts: res.ts ?? '' },
        timing,
        { justPosted: true },
      );
    },
  };
}
