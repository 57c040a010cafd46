/**
 * Slack's Web API rate limits, per method, per workspace, per app (api.slack.com/apis/rate-limits): calls
 * per minute. Slack's tiers are floors ("50+ per minute"); staying within them means never seeing a 429 in
 * normal use. Methods not listed are treated as Tier 3. `null`: no limit is applied (auth.test is Slack's
 * "special", with a high limit; calls without a bot token, such as oauth.v2.access, are never limited).
 */
export const TIER = { t1: 1, t2: 20, t3: 50, t4: 100 } as const;

const PER_MINUTE: Readonly<Record<string, number | null>> = {
  // Special: one message a second per channel. Kept per workspace here (the channel is in the body).
  'chat.postMessage': 60,
  'chat.update': TIER.t3,
  'chat.delete': TIER.t3,
  'chat.postEphemeral': TIER.t4,
  // The streaming methods are new and their tier is not documented yet: Tier 4 is assumed.
  'chat.startStream': TIER.t4,
  'chat.appendStream': TIER.t4,
  'chat.stopStream': TIER.t4,
  'conversations.replies': TIER.t3,
  'conversations.history': TIER.t3,
  'conversations.info': TIER.t3,
  'conversations.open': TIER.t3,
  'users.info': TIER.t4,
  'views.open': TIER.t4,
  'views.publish': TIER.t4,
  'views.update': TIER.t4,
  'assistant.threads.setStatus': TIER.t3,
  'assistant.threads.setSuggestedPrompts': TIER.t3,
  'assistant.threads.setTitle': TIER.t3,
  'auth.test': null,
};

/** Calls per minute allowed for `method` per workspace, or null when Lore does not limit it. */
export function perMinuteOf(method: string): number | null {
  return Object.hasOwn(PER_MINUTE, method) ? (PER_MINUTE[method] ?? null) : TIER.t3;
}
