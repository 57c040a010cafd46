import type { Context } from '@slack/bolt';
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
