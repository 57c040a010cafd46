import type { Command } from 'commander';
import { createAnnouncementBody } from '../../contracts/announcements.contract.js';
import { badRequest } from '../../errors.js';
import type { Audience } from '../../tenants/notices/announcements.repo.js';
import {
  announcementsForOperator,
  createAnnouncement,
  endAnnouncementNow,
} from '../../tenants/notices/announcements.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';

const audienceText = (a: Audience) =>
  a.kind === 'all' ? 'all' : a.kind === 'plan' ? `plan ${a.planId}` : `${a.tenantIds.length} tenant(s)`;
const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '');

interface CreateOpts {
  level: string;
  text: string;
  plan?: string;
  tenants?: string;
  starts?: string;
  ends: string;
  dm?: boolean;
}

/** `announcements create|list|end`: system messages for workspaces' dashboards and App Homes (audited). */
export function registerAnnouncementsCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const cmd = program
    .command('announcements')
    .description('announce maintenance or news to workspaces (dashboard banner and App Home)');

  cmd
    .command('create')
    .description('create an announcement (to all tenants unless --plan or --tenants)')
    .requiredOption('--level <level>', 'info, warning or maintenance')
    .requiredOption('--text <markdown>', 'the message, in Markdown')
    .option('--plan <plan-id>', 'only workspaces on this plan')
    .option('--tenants <ids>', 'only these tenant ids (comma-separated)')
    .option('--starts <iso-date>', 'when it starts showing (default: now)')
    .requiredOption('--ends <iso-date>', 'when it stops showing')
    .option('--dm', 'maintenance only: also DM the admins of every addressed workspace')
    .action(async (opts: CreateOpts) => {
      if (opts.plan && opts.tenants) throw badRequest('Give --plan or --tenants, not both');
      const parsed = createAnnouncementBody.safeParse({
        level: opts.level,
        text: opts.text,
        audience: opts.plan
          ? { kind: 'plan', planId: opts.plan }
          : opts.tenants
            ? {
                kind: 'tenants',
                tenantIds: opts.tenants
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }
            : { kind: 'all' },
        startsAt: opts.starts,
        endsAt: opts.ends,
        dmAdmins: Boolean(opts.dm),
      });
      if (!parsed.success) {
        throw badRequest(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
        );
      }
      const a = await createAnnouncement(ctx, parsed.data, ctx.actor);
      out.line(
        `Announcement ${a.id} (${a.level}, ${audienceText(a.audience)}) shows ${when(a.startsAt)} to ${when(a.endsAt)} UTC.`,
      );
    });

  cmd
    .command('list')
    .description('list announcements, newest first')
    .option('--live', 'only those showing or scheduled')
    .action(async (opts: { live?: boolean }) => {
      const rows = await announcementsForOperator(ctx.db, opts.live);
      if (rows.length === 0) return out.line('No announcements.');
      out.line(
        formatTable(
          ['ID', 'LEVEL', 'AUDIENCE', 'STARTS', 'ENDS', 'ENDED', 'TEXT'],
          rows.map((a) => [
            a.id,
            a.level,
            audienceText(a.audience),
            when(a.startsAt),
            when(a.endsAt),
            when(a.endedAt),
            a.body.length > 60
              ? `${a.body.slice(0, 57).replaceAll('\n', ' ')}...`
              : a.body.replaceAll('\n', ' '),
          ]),
        ),
      );
    });

  cmd
    .command('end')
    .description('stop showing an announcement now')
    .argument('<id>', 'the announcement id (from list)')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw badRequest(`"${id}" is not an announcement id`);
      const a = await endAnnouncementNow(ctx.db, id, ctx.actor);
      out.line(`Announcement ${a.id} ended.`);
    });
}
