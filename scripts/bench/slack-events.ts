import { createHmac, randomUUID } from 'node:crypto';

/** What every bench event's id starts with. */
export const BENCH_EVENT_PREFIX = 'EvBENCH';
/** The channel every bench mention is in (and so every thread a bench leaves in Redis). */
export const BENCH_CHANNEL = 'C0BENCH';

/** The bench's workspaces: TB000000, TB000001, … */
export const teamOf = (i: number) => `TB${String(i).padStart(6, '0')}`;

/** A signed app_mention delivery, as Slack sends it (events-app-mention.json's shape). */
export function signedMention(secret: string, teamId: string, text: string, user = 'U061F7AUR'): RequestInit {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'XXYYZZ',
    team_id: teamId,
    api_app_id: 'A0BENCH',
    event: {
      type: 'app_mention',
      user,
      text: `<@U${teamId}> ${text}`,
      ts,
      channel: BENCH_CHANNEL,
      event_ts: ts,
    },
    type: 'event_callback',
    authorizations: [{ team_id: teamId, user_id: user, is_bot: false, is_enterprise_install: false }],
    // EvBENCH…: a bench's leftovers in a shared Redis (de-duplication keys) can be found and dropped.
    event_id: `${BENCH_EVENT_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  };
}

/** `n` pre-signed mentions spread round-robin over `tenants` workspaces; each call returns the next. */
export function signedMentions(secret: string, tenants: number, n: number): () => RequestInit {
  const reqs = Array.from({ length: n }, (_, i) =>
    signedMention(secret, teamOf(i % tenants), 'How do I add Lore to a channel?'),
  );
  let next = 0;
  return () => reqs[next++ % reqs.length] as RequestInit;
}
