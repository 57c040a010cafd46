import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../ids.js';

/** The App Home's dashboard link button: the browser opens the URL; Slack still expects an acknowledgement. */
export function registerHomeOpenDashboard(app: App): void {
  app.action(ACTION_IDS.homeOpenDashboard, async ({ ack }) => {
    await ack();
  });
}
