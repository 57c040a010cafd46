import { buildWelcomeMessage } from './blocks/welcome.js';
import type { ClientFactory } from './client-factory.js';

/**
 * Sends the installer the welcome DM through the tenant's bot client (the welcome job calls this). A user
 * id as the channel posts into the user's DM with the app, so no conversations.open round trip is needed.
 */
export function createWelcomeSender(deps: { clients: ClientFactory; dashboardUrl: string }) {
  return async (msg: { tenantId: string; userId: string }): Promise<void> => {
    const client = await deps.clients.getClient(msg.tenantId);
    await client.chat.postMessage({
      channel: msg.userId,
      ...buildWelcomeMessage({ dashboardUrl: deps.dashboardUrl }),
    });
  };
}
