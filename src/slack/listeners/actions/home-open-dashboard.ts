import { ACTION_IDS } from '../../ids.js';
import type { SlackInteractions } from '../delivery-router.js';

/** The App Home's dashboard link button: the browser opens the URL; Slack still expects an acknowledgement. */
export function registerHomeOpenDashboard(interactions: SlackInteractions): void {
  interactions.action(ACTION_IDS.homeOpenDashboard, async ({ ack }) => {
    await ack();
  });
}
