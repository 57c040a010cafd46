import type { TellMember } from '../../knowledge/threads/thread-save.job.js';
import { isSlackResponseUrl } from '../answers/response-url.js';
import type { ClientFactory } from '../client-factory.js';

/**
 * Tells the member who saved a thread how it went, only to them: through the shortcut's response_url when
 * it is Slack's (it works even where the bot is not in the channel), else as a DM from the bot.
 */
export function createTellMember(deps: {
  clients: Pick<ClientFactory, 'getClient'>;
  slackApiUrl: string;
  fetch?: typeof globalThis.fetch;
}): TellMember {
  const fetchFn = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return async (tenantId, p, text) => {
    if (p.responseUrl && isSlackResponseUrl(p.responseUrl, deps.slackApiUrl)) {
      const res = await fetchFn(p.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      });
      if (res.ok) return;
    }
    const client = await deps.clients.getClient(tenantId);
    await client.chat.postMessage({ channel: p.userId, text });
  };
}
