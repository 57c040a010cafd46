import type { Context } from '@slack/bolt';
import type { Logger } from '../../../logger.js';
import type { LifecycleOutcome } from '../../../tenants/lifecycle/lifecycle.service.js';
import { type SlackKey, slackKeyOf } from '../../../tenants/slack-key.js';

/**
 * The keys a clean-up event may belong to, most specific first: the workspace (or org, for an org-wide
 * install) Bolt routed it to, then the enterprise when a workspace-keyed event arrives without
 * `authorizations` from an org-wide install.
 */
export function lifecycleKeysOf(context: Context): SlackKey[] {
  const key = slackKeyOf(context);
  const keys = key ? [key] : [];
  if (key?.kind === 'team' && context.enterpriseId)
    keys.push({ kind: 'enterprise', enterpriseId: context.enterpriseId });
  return keys;
}

/**
 * Applies a clean-up event to the first of its keys Lore knows (see `lifecycleKeysOf`), and drops that
 * tenant's cached Slack client when the event changed it.
 */
export async function applyToKnownTenant(
  event: string,
  context: Context,
  deps: { logger: Logger; forgetClient: (tenantId: string) => void },
  apply: (key: SlackKey) => Promise<LifecycleOutcome>,
): Promise<void> {
  const keys = lifecycleKeysOf(context);
  if (keys.length === 0) deps.logger.warn(`${event} without a team or enterprise id: ignored`);
  for (const key of keys) {
    const outcome = await apply(key);
    if (outcome.tenantId && outcome.result === 'applied') deps.forgetClient(outcome.tenantId);
    if (outcome.result !== 'unknown_tenant') return;
  }
}
