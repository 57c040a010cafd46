import type { Logger } from '../../../logger.js';
import type { TenantLifecycle } from '../../../tenants/lifecycle/lifecycle.service.js';
import type { SlackEvents } from '../delivery-router.js';
import { applyToKnownTenant } from './lifecycle-keys.js';

/** `tokens_revoked`: the named bot and user tokens go; a tenant left with no bot token is deactivated. */
export function registerTokensRevoked(
  events: SlackEvents,
  deps: { lifecycle: TenantLifecycle; logger: Logger; forgetClient: (tenantId: string) => void },
): void {
  events.on('tokens_revoked', ({ body, event, context }) =>
    applyToKnownTenant('tokens_revoked', context, deps, (key) =>
      deps.lifecycle.tokensRevoked({
        key,
        eventTime: body.event_time,
        actor: 'slack',
        // Slack lists user ids, not tokens: `oauth` for user tokens, `bot` for bot users.
        botUserIds: event.tokens.bot ?? [],
        userIds: event.tokens.oauth ?? [],
      }),
    ),
  );
}
