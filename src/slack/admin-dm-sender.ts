import type { SendAdminDm } from '../tenants/notices/admin-dm.job.js';
import type { ClientFactory } from './client-factory.js';

/**
 * Sends an admin a DM from the workspace's bot (the `admin-dm` job calls this): a user id as the channel
 * posts into the user's DM with the app. Links are not unfurled: the plan page is behind a sign-in.
 */
export function createAdminDmSender(deps: { clients: ClientFactory }): SendAdminDm {
  return async (msg) => {
    const client = await deps.clients.getClient(msg.tenantId);
    await client.chat.postMessage({
      channel: msg.userId,
      text: msg.text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: msg.text } }],
      unfurl_links: false,
    });
  };
}
