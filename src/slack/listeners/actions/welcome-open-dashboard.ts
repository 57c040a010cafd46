import type { SlackInteractions } from '../delivery-router.js';

/** The welcome message's link button: the browser opens the URL; Slack still expects an acknowledgement. */
export function registerWelcomeOpenDashboard(interactions: SlackInteractions): void {
  interactions.action('welcome_open_dashboard', async ({ ack }) => {
    await ack();
  });
}
