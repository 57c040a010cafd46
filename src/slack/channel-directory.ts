import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import { slackErrorCode } from './answers/slack-errors.js';
import type { ClientFactory } from './client-factory.js';

/** A channel as the dashboard names it. */
export interface ChannelInfo {
  id: string;
  name: string;
  isPrivate: boolean;
}

export interface ChannelListing {
  channels: ChannelInfo[];
  /** False when the workspace has more channels than one listing reads. */
  complete: boolean;
  /** A sentence for the admin when the names could not be read; null when they were. */
  problem: string | null;
  fetchedAt: string | null;
}

/** The tenant's channel names, cached; `refresh` asks Slack again. */
export type ChannelDirectory = (tenantId: string, opts?: { refresh?: boolean }) => Promise<ChannelListing>;

/**
 * 900 per page × 3 pages: a bounded amount of Slack calls and cache. Few large pages rather than many small
 * ones: conversations.list is a Tier 2 method, and every call waits for its turn in the workspace's budget
 * (outbound-limits.ts), so ten pages of 200 could not finish within TIMEOUT_MS on a second refresh.
 */
const PAGE_SIZE = 900;
const MAX_PAGES = 3;
const TTL_MS = 10 * 60_000;
/** A failed listing is remembered briefly, so a broken install does not call Slack on every page view. */
const FAILURE_TTL_MS = 60_000;
const TIMEOUT_MS = 10_000;

const PROBLEMS: Record<string, string> = {
  missing_scope:
    'Lore may not read channel names yet (it needs the channels:read and groups:read permissions): reinstall Lore from the Overview page. Channel ids are shown meanwhile.',
  not_installed: 'Lore is not installed in this workspace, so channel names cannot be read.',
};

/**
 * Lists public and private channels the bot can see (`conversations.list`, archived ones left out), cached
 * in the KeyValueStore per tenant. Names are not secret but they are the tenant's: the key holds the tenant id.
 */
export function createChannelDirectory(deps: {
  clients: Pick<ClientFactory, 'getClient'>;
  kv: KeyValueStore;
  logger: Logger;
}): ChannelDirectory {
  const key = (tenantId: string) => `slack-channels:${tenantId}`;
  return async (tenantId, opts = {}) => {
    if (!opts.refresh) {
      const cached = await deps.kv.get(key(tenantId));
      if (cached) return JSON.parse(cached) as ChannelListing;
    }
    const listing = await fetchListing(deps, tenantId);
    await deps.kv.set(key(tenantId), JSON.stringify(listing), {
      ttlMs: listing.problem ? FAILURE_TTL_MS : TTL_MS,
    });
    return listing;
  };
}

async function fetchListing(
  deps: { clients: Pick<ClientFactory, 'getClient'>; logger: Logger },
  tenantId: string,
): Promise<ChannelListing> {
  const channels: ChannelInfo[] = [];
  let cursor: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`conversations.list took longer than ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  try {
    const client = await deps.clients.getClient(tenantId);
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await Promise.race([
        client.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: PAGE_SIZE,
          cursor,
        }),
        timeout,
      ]);
      for (const ch of res.channels ?? []) {
        if (ch.id && ch.name) channels.push({ id: ch.id, name: ch.name, isPrivate: Boolean(ch.is_private) });
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    channels.sort((a, b) => a.name.localeCompare(b.name));
    return { channels, complete: !cursor, problem: null, fetchedAt: new Date().toISOString() };
  } catch (err) {
    const code = slackErrorCode(err) ?? (err as { code?: string }).code;
    deps.logger.warn(
      { tenantId, code, err: { message: (err as Error).message } },
      'conversations.list failed',
    );
    return {
      channels: [],
      complete: false,
      problem:
        (code && PROBLEMS[code]) ??
        'Slack did not list the channels just now: channel ids are shown instead. Try again in a minute.',
      fetchedAt: null,
    };
  } finally {
    clearTimeout(timer);
  }
}
