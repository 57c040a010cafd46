import { noticesFor } from '../../../tenants/notices/notices.service.js';
import { workspaceUsage } from '../../../usage/workspace-usage.service.js';
import { type AnswerListenerDeps, tenantIdOf } from '../../answers/listener-deps.js';
import { describeSlackError } from '../../answers/slack-errors.js';
import { buildAppHome } from '../../blocks/app-home.js';
import type { SlackEvents } from '../delivery-router.js';

/**
 * `app_home_opened` (Home tab): publishes what Lore does, how to ask, this month's usage against the plan,
 * and the dashboard link for workspace admins and owners. Published after the acknowledgement: it takes a
 * few Slack calls, and a lost publish is simply redone the next time the tab opens.
 */
export function registerAppHomeOpened(events: SlackEvents, deps: AnswerListenerDeps): void {
  events.on('app_home_opened', async ({ event, context, client }) => {
    const tenantId = tenantIdOf(context);
    if (!tenantId || event.tab !== 'home') return;
    const log = deps.logger.child({ tenantId });
    void (async () => {
      const [usage, isAdmin, notices] = await Promise.all([
        workspaceUsage(deps.db, tenantId).catch((err: unknown) => {
          log.warn({ err }, 'usage for the App Home unavailable');
          return null;
        }),
        client.users.info({ user: event.user }).then(
          (r) => Boolean(r.user?.is_admin || r.user?.is_owner || r.user?.is_primary_owner),
          () => false,
        ),
        // Limit warnings and announcements (a broken token could not publish this view anyway).
        noticesFor(deps.db, tenantId, { publicUrl: deps.publicUrl, format: 'slack' }).then(
          (all) => all.filter((n) => n.kind !== 'broken_installation'),
          (err: unknown) => {
            log.warn({ err }, 'notices for the App Home unavailable');
            return [];
          },
        ),
      ]);
      await client.views.publish({
        user_id: event.user,
        view: buildAppHome({ usage, isAdmin, dashboardUrl: `${deps.publicUrl}/app`, banners: notices }),
      });
    })().catch((err: unknown) => log.warn({ err: describeSlackError(err) }, 'App Home not published'));
  });
}
