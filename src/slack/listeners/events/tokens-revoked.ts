import type { Logger } from '../../../logger.js';
import type { TenantLifecycle } from '../../../tenants/lifecycle/lifecycle.service.js';
import type { SlackEvents } from '../event-router.js';
import { lifecycleKeysOf } from './lifecycle-keys.js';

/** `tokens_revoked`: the named bot and user tokens go; a tenant left with no bot token is deactivated. */
export function registerTokensRevoked(
  events: SlackEvents,
  deps: { lifecycle: TenantLifecycle; logger: Logger; forgetClient: (tenantId: string) => void },
): void {
  events.on('tokens_revoked', async ({ body, event, context }) => {
    const keys = lifecycleKeysOf(context);
    if (keys.length === 0) deps.logger.warn('tokens_revoked without a team or enterprise id: ignored');
    for (const key of keys) {
      const outcome = await deps.lifecycle.tokensRevoked({
        key,
        eventTime: body.event_time,
        actor: 'slack',
        // Slack lists user ids, not tokens: `oauth` for user tokens, `bot` for bot users.
        botUserIds: event.tokens.bot ?? [],
        userIds: event.tokens.oauth ?? [],
      });
      if (outcome.tenantId && outcome.result === 'applied') deps.forgetClient(outcome.tenantId);
      if (outcome.result !== 'unknown_tenant') return;
    }
  });
}
