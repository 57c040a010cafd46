import type { Command } from 'commander';
import { seedDemoActivity } from '../../tenants/demo/demo-activity.js';
import { DEMO_TEAM_ID } from '../../tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../tenants/tenants.repo.js';
import type { CliContext, CliOutput } from '../cli-context.js';

/** `demo activity`: a month of sample questions and usage in the embedded demo workspace (charts to look at). */
export function registerDemoCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const demo = program.command('demo').description('the embedded demo workspace');
  demo
    .command('activity')
    .description(
      'add 30 days of demo questions, usage, votes and gaps to the demo workspace (once; marked as demo data)',
    )
    .option('--days <n>', 'how many days back', '30')
    .action(async (opts: { days: string }) => {
      const tenant = await findTenantBySlackId(ctx.db.pool, DEMO_TEAM_ID);
      if (!tenant)
        throw new Error('There is no demo workspace: it exists only in embedded mode (no DATABASE_URL).');
      const days = Math.min(366, Math.max(1, Number.parseInt(opts.days, 10) || 30));
      const added = await seedDemoActivity(ctx.db, tenant.id, { days });
      out.line(
        added > 0
          ? `Added ${added} demo questions over ${days} days to "${tenant.name}". Open ${ctx.config.publicUrl}/app/usage`
          : 'The demo workspace already has demo activity: nothing added.',
      );
    });
}
