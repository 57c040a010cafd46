import type { InstallationService } from '../installations/installations.service.js';
import { DEMO_TEAM_ID } from './demo-tenant.js';

/** The demo workspace's bot user and bot ids: what the signed-event simulator mentions and expects. */
export const DEMO_BOT_USER_ID = 'U0LOREBOT';
export const DEMO_BOT_ID = 'B0LOREBOT';
/** A fake bot token: only ever sent to a local Slack stand-in (SLACK_API_URL on loopback). */
export const DEMO_BOT_TOKEN = 'xoxb-demo-0000000000-not-a-real-token';

// What a stand-in needs to pretend; a real install's scopes come from manifest.json.
const DEMO_SCOPES = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'chat:write',
  'commands',
  'im:history',
];

/** True for a SLACK_API_URL on this machine (a stand-in such as scripts/simulate-slack.ts), never slack.com. */
export function isLocalSlackApi(apiUrl: string): boolean {
  const host = new URL(apiUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

/**
 * Development only (embedded mode with a local Slack stand-in): gives the demo workspace an installation
 * with a fake bot token, stored like any other (encrypted, audited), so signed events for the demo team
 * are authorized and answered end to end. Does nothing when the demo workspace already has one.
 */
export async function ensureDemoInstallation(
  installations: InstallationService,
  demoTenantId: string,
): Promise<boolean> {
  if (await installations.findByTenant(demoTenantId)) return false;
  await installations.store({
    teamId: DEMO_TEAM_ID,
    teamName: 'Demo workspace',
    enterpriseId: null,
    enterpriseName: null,
    enterpriseUrl: null,
    isEnterpriseInstall: false,
    appId: 'A0LOREDEMO',
    tokenType: 'bot',
    authVersion: 'v2',
    metadata: null,
    incomingWebhook: null,
    bot: { token: DEMO_BOT_TOKEN, id: DEMO_BOT_ID, userId: DEMO_BOT_USER_ID, scopes: DEMO_SCOPES },
    // No installer: the demo install sends nobody a welcome DM.
    user: { id: '', scopes: [], tokens: null },
  });
  return true;
}
