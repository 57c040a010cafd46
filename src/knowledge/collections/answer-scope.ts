import type { DbClient } from '../../infra/db/database.js';
import { findChannelScope } from './channel-scopes.repo.js';
import { defaultCollectionId } from './collections.repo.js';

/** What a question may draw on, and the channel's own prompt instructions. */
export interface AnswerScope {
  /** null: every collection (the admins' playground only). */
  collectionIds: string[] | null;
  channelInstructions: string;
}

/** Where a question was asked, as far as scoping cares. */
export interface AskedWhere {
  surface: 'mention' | 'dm' | 'thread' | 'ask' | 'assistant' | 'playground' | 'api';
  channelId: string;
}

/** Public and private channels have settings of their own; DMs, group DMs and the rest do not. */
export const isScopedChannel = (channelId: string) => /^[CG][A-Z0-9]{2,30}$/.test(channelId);

/**
 * The collections an answer may retrieve from. A mention or thread reply in a channel uses that channel's
 * collections (its default when it has none); DMs, `/ask`, the assistant panel and API keys use the workspace
 * default, wherever they were typed. Fails closed: with no collection found, nothing is searched.
 * `client` must come from withTenant.
 */
export async function answerScopeFor(c: DbClient, where: AskedWhere): Promise<AnswerScope> {
  if (where.surface === 'playground') return { collectionIds: null, channelInstructions: '' };
  const inChannel =
    (where.surface === 'mention' || where.surface === 'thread') && isScopedChannel(where.channelId);
  const channel = inChannel ? await findChannelScope(c, where.channelId) : null;
  if (channel && channel.collectionIds.length > 0) {
    return { collectionIds: channel.collectionIds, channelInstructions: channel.instructions };
  }
  const fallback = await defaultCollectionId(c);
  return { collectionIds: fallback ? [fallback] : [], channelInstructions: channel?.instructions ?? '' };
}
