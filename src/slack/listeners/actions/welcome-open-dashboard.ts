import type { App } from '@slack/bolt';

/** The welcome message's link button: the browser opens the URL; Slack still expects an acknowledgement. */
export function registerWelcomeOpenDashboard(app: App): void {
  app.action('welcome_open_dashboard', async ({ ack }) => {
    await ack();
  });
}
