import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

/** The welcome DM to the installer: what Lore does, how to ask, and the dashboard link. */
export function buildWelcomeMessage(opts: { dashboardUrl: string }): { text: string; blocks: KnownBlock[] } {
  const text = `Thanks for installing Lore! Add your team's documents at ${opts.dashboardUrl} and I will answer questions from them, with sources.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: "*Thanks for installing Lore!* :wave:\nI answer your team's questions from your own documents, and every answer cites its sources.",
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*How to ask*\n• Mention me in a channel: `@Lore how do I request time off?`\n• Send me a direct message\n• Use `/ask` anywhere',
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Next step:* add your handbook, FAQs and policies in the <${opts.dashboardUrl}|Lore dashboard>. A sample document is there already so you can try me right away.`,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open the dashboard' },
            url: opts.dashboardUrl,
            action_id: 'welcome_open_dashboard',
          },
        ],
      },
    ],
  };
}
