import type { QuotaName, QuotaWarning } from './quota-warnings.repo.js';

const LABEL: Record<QuotaName, string> = { questions: 'questions', tokens: 'AI tokens' };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** When the quota of the warning's month resets: the first instant of the next UTC month. */
export function resetOf(w: Pick<QuotaWarning, 'month'>): Date {
  const d = new Date(`${w.month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

function resetText(reset: Date, format: 'slack' | 'plain'): string {
  const plain = `${reset.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })} (00:00 UTC)`;
  // Slack shows the date in each reader's own time zone, with the UTC text as the fallback.
  return format === 'slack' ? `<!date^${Math.floor(reset.getTime() / 1000)}^{date_long}|${plain}>` : plain;
}

/** The warning's headline: how much of which quota. */
export function quotaWarningTitle(w: Pick<QuotaWarning, 'quota' | 'threshold'>): string {
  return w.threshold >= 100
    ? `This month's ${LABEL[w.quota]} are used up`
    : `${w.threshold}% of this month's ${LABEL[w.quota]} used`;
}

/**
 * What admins are told when the workspace passes a threshold: how much is used, what happens at 100%, when
 * it resets, and where to compare plans. `slack` is mrkdwn (a DM, App Home); `plain` is for the dashboard.
 */
export function quotaWarningText(w: QuotaWarning, planUrl: string, format: 'slack' | 'plain'): string {
  const amount = `${fmt(w.used)} of ${fmt(w.limit)} ${LABEL[w.quota]}`;
  const reset = resetText(resetOf(w), format);
  const plans = format === 'slack' ? `<${planUrl}|Compare plans>` : 'Compare plans';
  const head =
    w.threshold >= 100
      ? `This workspace has used all of its Lore ${LABEL[w.quota]} for this month (${amount}). Lore answers no more questions with the platform's AI until the allowance resets on ${reset}.`
      : `This workspace has used ${w.threshold}% of its Lore ${LABEL[w.quota]} for this month (${amount}). At 100%, Lore stops answering until the allowance resets on ${reset}.`;
  return `${head} ${plans} to raise the limit, or add the workspace's own OpenAI key in the dashboard's Settings.`;
}
