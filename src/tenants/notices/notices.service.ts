import type { NoticeDto } from '../../contracts/notices.contract.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { quotaWarningText, quotaWarningTitle } from '../../usage/quota-warning-message.js';
import { type QuotaWarning, quotaWarningsOfMonth } from '../../usage/quota-warnings.repo.js';
import { monthKey } from '../../usage/quota-warnings.service.js';
import { findBrokenInstallation } from '../installations/broken-installations.repo.js';
import { markdownToMrkdwn } from './announcement-text.js';
import type { Announcement } from './announcements.repo.js';
import { liveAnnouncementsFor } from './announcements.service.js';

/** Where notices link to, the clock (tests cross month boundaries), and the text format of the surface. */
export interface NoticeContext {
  publicUrl: string;
  now?: Date;
  /** `slack`: mrkdwn with Slack dates and links (App Home); `plain` (default): the dashboard. */
  format?: 'slack' | 'plain';
}

/** The dashboard's plan page (what each plan allows), linked from every limit warning. */
export const planPageUrl = (publicUrl: string) => `${publicUrl}/app/plans`;

/** A broken installation as a notice: what happened and the one fix (reinstall). */
async function brokenInstallationNotice(
  db: Database,
  tenantId: string,
  ctx: NoticeContext,
): Promise<NoticeDto | null> {
  const broken = await withTenant(db, tenantId, (c) => findBrokenInstallation(c, tenantId));
  if (!broken) return null;
  return {
    id: 'broken-installation',
    kind: 'broken_installation',
    level: 'error',
    title: 'Lore has lost access to Slack',
    text: `Slack refused Lore's token (${broken.errorCode}) on ${broken.brokenAt.toISOString().slice(0, 10)}. Lore cannot answer in Slack until it is reinstalled.`,
    link: { href: `${ctx.publicUrl}/slack/install`, label: 'Reinstall Lore' },
    dismissible: false,
  };
}

/** This month's quota warnings as notices: per quota, the highest threshold passed. */
async function quotaNotices(db: Database, tenantId: string, ctx: NoticeContext): Promise<NoticeDto[]> {
  const month = monthKey(ctx.now ?? new Date());
  const warnings = await withTenant(db, tenantId, (c) => quotaWarningsOfMonth(c, month));
  const highest = new Map<string, QuotaWarning>();
  for (const w of warnings) if (!highest.has(w.quota)) highest.set(w.quota, w);
  const planUrl = planPageUrl(ctx.publicUrl);
  return [...highest.values()].map((w) => ({
    id: `quota-${w.quota}-${w.threshold}-${w.month}`,
    kind: 'quota',
    level: w.threshold >= 100 ? 'error' : 'warning',
    title: quotaWarningTitle(w),
    text: quotaWarningText(w, planUrl, ctx.format ?? 'plain'),
    link: { href: planUrl, label: 'Compare plans' },
    dismissible: true,
  }));
}

const ANNOUNCEMENT_TITLE: Record<Announcement['level'], string> = {
  maintenance: 'Planned maintenance',
  warning: 'Important',
  info: 'News from Lore',
};

/** The operator's announcements addressed to this workspace and showing now. */
async function announcementNotices(db: Database, tenantId: string, ctx: NoticeContext): Promise<NoticeDto[]> {
  const live = await liveAnnouncementsFor(db, tenantId, ctx.now ?? new Date());
  return live.map((a) => ({
    id: `announcement-${a.id}`,
    kind: 'announcement',
    level: a.level,
    title: ANNOUNCEMENT_TITLE[a.level],
    text: markdownToMrkdwn(a.body),
    link: null,
    dismissible: true,
  }));
}

/** The notices a workspace's admins see now, most urgent first. */
export async function noticesFor(db: Database, tenantId: string, ctx: NoticeContext): Promise<NoticeDto[]> {
  const [broken, quota, announcements] = await Promise.all([
    brokenInstallationNotice(db, tenantId, ctx),
    quotaNotices(db, tenantId, ctx),
    announcementNotices(db, tenantId, ctx),
  ]);
  const maintenance = announcements.filter((a) => a.level === 'maintenance');
  const others = announcements.filter((a) => a.level !== 'maintenance');
  return [...(broken ? [broken] : []), ...maintenance, ...quota, ...others];
}
