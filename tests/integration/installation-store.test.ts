import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import { createInstallationStore } from '../../src/slack/installation-store.js';
import { createTenantServices, type TenantServices } from '../../src/tenants/tenant-services.js';
import { slackFixture } from '../support/slack.js';
import { createTestDatabase } from '../support/test-db.js';

const logger = createLogger({ level: 'silent' });
const primary = slackFixture('oauth-v2-access-success').primary.payload;
const org = slackFixture('enterprise-org-install-examples').oauthV2AccessOrgInstall.payload;

/** Bolt's Installation for a documented oauth.v2.access reply, with the installer and tokens varied. */
function boltInstall(opts: { teamId: string; userId: string; botToken: string; userToken?: string }) {
  return {
    team: { id: opts.teamId, name: primary.team.name },
    enterprise: undefined,
    user: { id: opts.userId, token: opts.userToken, scopes: opts.userToken ? ['chat:write'] : undefined },
    bot: { id: 'B1', userId: primary.bot_user_id, scopes: primary.scope.split(','), token: opts.botToken },
    tokenType: 'bot' as const,
    isEnterpriseInstall: false,
    appId: primary.app_id,
    authVersion: 'v2' as const,
  };
}

describe("Bolt's InstallationStore over Postgres", () => {
  let db: Database;
  let services: TenantServices;
  let store: ReturnType<typeof createInstallationStore>;

  beforeAll(async () => {
    db = await createTestDatabase();
    services = createTenantServices({
      db,
      kv: createMemoryStore({ logger }),
      queue: createMemoryQueue({ logger }),
      logger,
      cipher: createCipherBox(loadConfig({}).encryptionKeys),
    });
    await services.start();
    store = createInstallationStore({ installations: services.installations, lifecycle: services.lifecycle });
  });
  afterAll(() => db.close());

  it("a user query gets that user's own token with the latest bot token overlaid; others get no user token", async () => {
    await store.storeInstallation(
      boltInstall({ teamId: 'TUSERS001', userId: 'U1', botToken: 'xoxb-first', userToken: 'xoxp-u1' }),
    );
    await store.storeInstallation(
      boltInstall({ teamId: 'TUSERS001', userId: 'U2', botToken: 'xoxb-second', userToken: 'xoxp-u2' }),
    );

    const u1 = await store.fetchInstallation({
      teamId: 'TUSERS001',
      enterpriseId: undefined,
      userId: 'U1',
      isEnterpriseInstall: false,
    });
    expect(u1.user).toMatchObject({ id: 'U1', token: 'xoxp-u1' });
    expect(u1.bot?.token).toBe('xoxb-second');

    const someone = await store.fetchInstallation({
      teamId: 'TUSERS001',
      enterpriseId: undefined,
      userId: 'U9',
      isEnterpriseInstall: false,
    });
    expect(someone.user.token).toBeUndefined();
    expect(someone.bot?.token).toBe('xoxb-second');

    const noUser = await store.fetchInstallation({
      teamId: 'TUSERS001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(noUser).toMatchObject({
      team: { id: 'TUSERS001' },
      user: { id: 'U2', token: 'xoxp-u2' },
      authVersion: 'v2',
      isEnterpriseInstall: false,
    });

    const history = await db.pool.query(
      "SELECT installer_user_id FROM lore.installations WHERE slack_team_id = 'TUSERS001' ORDER BY installed_at",
    );
    expect(history.rows.map((r) => r.installer_user_id)).toEqual(['U1', 'U2']);
  });

  it('an org-wide install is found by enterprise id alone; a team query for the same id finds nothing', async () => {
    await store.storeInstallation({
      team: undefined,
      enterprise: org.enterprise,
      user: { id: org.authed_user.id, token: org.authed_user.access_token, scopes: undefined },
      bot: { id: 'B2', userId: org.bot_user_id, scopes: org.scope.split(','), token: org.access_token },
      tokenType: 'bot',
      isEnterpriseInstall: true,
      appId: org.app_id,
      enterpriseUrl: 'https://jesse.enterprise.slack.com/',
      authVersion: 'v2',
    });
    const found = await store.fetchInstallation({
      teamId: undefined,
      enterpriseId: org.enterprise.id,
      isEnterpriseInstall: true,
    });
    expect(found).toMatchObject({
      team: undefined,
      enterprise: { id: 'E123ABC456', name: 'Jesse Slacksalot' },
      isEnterpriseInstall: true,
      enterpriseUrl: 'https://jesse.enterprise.slack.com/',
      bot: { token: org.access_token, userId: org.bot_user_id },
    });
    await expect(
      store.fetchInstallation({ teamId: 'E123ABC456', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toMatchObject({ code: 'not_installed' });
  });

  it('an unknown workspace is a not_installed error (Bolt then acknowledges and runs nothing)', async () => {
    await expect(
      store.fetchInstallation({ teamId: 'TNOBODY01', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toMatchObject({ code: 'not_installed', status: 404 });
  });

  it('deleteInstallation removes the tokens and deactivates the tenant', async () => {
    await store.deleteInstallation?.({
      teamId: 'TUSERS001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    await expect(
      store.fetchInstallation({ teamId: 'TUSERS001', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toMatchObject({ code: 'not_installed' });
    const t = await db.pool.query("SELECT status FROM lore.tenants WHERE slack_team_id = 'TUSERS001'");
    expect(t.rows[0].status).toBe('inactive');
    const tokens = await db.pool.query(
      "SELECT count(*)::int AS n FROM lore.installations WHERE slack_team_id = 'TUSERS001' AND (bot_token_encrypted IS NOT NULL OR user_token_encrypted IS NOT NULL)",
    );
    expect(tokens.rows[0].n).toBe(0);
  });
});
