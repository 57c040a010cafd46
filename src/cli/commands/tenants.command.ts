import type { Command } from 'commander';
import { listTenants } from '../../tenants/tenants.repo.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';

/** `tenants ...`: operator commands over all tenants. */
export function registerTenantsCommands(program: Command, ctx: CliContext, out: CliOutput): Command {
  const tenants = program.command('tenants').description('list and manage tenants (installed workspaces)');
  tenants
    .command('list')
    .description('list tenants, newest first')
    .option('-s, --search <text>', 'filter by name, team id or enterprise id')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { search?: string; json?: boolean }) => {
      const rows = await listTenants(ctx.db.pool, { search: opts.search });
      if (opts.json) {
        out.line(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        out.line(
          opts.search ? `No tenants match "${opts.search}".` : 'No tenants yet: install the Slack app first.',
        );
        return;
      }
      out.line(
        formatTable(
          ['SLACK ID', 'NAME', 'STATUS', 'PLAN', 'CREATED', 'LAST ACTIVITY'],
          rows.map((t) => [
            (t.isEnterpriseInstall ? t.slackEnterpriseId : t.slackTeamId) ?? '',
            t.name + (t.isDemo ? ' (demo)' : ''),
            t.status,
            t.planId,
            t.createdAt.toISOString().slice(0, 10),
            t.lastActivityAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never',
          ]),
        ),
      );
      out.line(`${rows.length} tenant${rows.length === 1 ? '' : 's'}.`);
    });
  return tenants;
}
