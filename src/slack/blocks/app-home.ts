import type { types } from '@slack/bolt';
import type { WorkspaceUsage } from '../../usage/workspace-usage.service.js';
import { ACTION_IDS } from '../ids.js';
import { escapeMrkdwn } from './answer.js';

type KnownBlock = types.KnownBlock;

const number = (n: number) => Math.round(n).toLocaleString('en-US');
const BANNER_ICON: Record<string, string> = {
  error: ':no_entry:',
  warning: ':warning:',
  maintenance: ':construction:',
  info: ':information_source:',
};
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The usage line: "N of M questions and X of Y tokens this month", or uncapped with the workspace's own key. */
export function usageLine(u: WorkspaceUsage): string {
  const reset = `<!date^${Math.floor(u.resetsAt.getTime() / 1000)}^{date_short}|${u.resetsAt.toISOString().slice(0, 10)}>`;
  if (u.ownKey) {
    return `Answers use this workspace's own OpenAI key, so there is no monthly cap (plan: ${escapeMrkdwn(u.planName)}).`;
  }
  return [
    `*${number(u.questions)} of ${number(u.questionQuota)}* questions and *${number(u.tokens)} of ${number(u.tokenQuota)}* tokens used this month`,
    `(${escapeMrkdwn(u.planName)} plan; resets ${reset}).`,
  ].join(' ');
}

/**
 * The App Home tab: what Lore does, how to ask, this workspace's usage this month, and, for admins and
 * owners, the way to the dashboard.
 */
export function buildAppHome(opts: {
  usage: WorkspaceUsage | null;
  dashboardUrl: string;
  isAdmin: boolean;
  /** Banners above everything else (limit warnings, announcements), text already in mrkdwn. */
  banners?: ReadonlyArray<{ level: string; title: string; text: string }>;
}): { type: 'home'; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: 'Lore: answers from your own documents', emoji: true },
    },
    ...(opts.banners ?? []).flatMap((b): KnownBlock[] => [
      section(`${BANNER_ICON[b.level] ?? ':information_source:'} *${escapeMrkdwn(b.title)}*\n${b.text}`),
      { type: 'divider' },
    ]),
    section(
      "I answer questions from your workspace's knowledge base (handbooks, policies, FAQs your admins add), and every answer cites its sources. When the documents don't cover something, I say so instead of guessing, and your admins see the question.",
    ),
    { type: 'divider' },
    section(
      [
        '*How to ask*',
        '• Mention me in a channel: `@Lore how do I request time off?` (I answer in the thread, and keep answering there without another mention)',
        '• Send me a direct message, or open me in the AI assistant panel',
        '• Type `/ask your question` anywhere: only you see the answer, and you can share it',
        '• Rate answers with 👍 / 👎 so your admins know what to improve',
      ].join('\n'),
    ),
    { type: 'divider' },
    section(
      opts.usage
        ? `*This month*\n${usageLine(opts.usage)}`
        : '*This month*\nUsage is not available right now.',
    ),
  ];
  if (opts.isAdmin) {
    blocks.push(
      section(
        '*For admins*\nAdd documents, choose the channels I answer in, and see usage and unanswered questions in the Lore dashboard.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open the dashboard' },
            url: opts.dashboardUrl,
            action_id: ACTION_IDS.homeOpenDashboard,
            style: 'primary',
          },
        ],
      },
    );
  }
  return { type: 'home', blocks };
}
