import type { Command } from 'commander';
import { migrate, pendingMigrations } from '../../infra/db/migrate.js';
import type { CliContext, CliOutput } from '../cli-context.js';

/** `migrate`: applies pending SQL migrations and says which. */
export function registerMigrateCommand(program: Command, ctx: CliContext, out: CliOutput): void {
  program
    .command('migrate')
    .description('apply pending database migrations (supabase/migrations)')
    .option('--dry-run', 'list pending migrations without applying them')
    .action(async (opts: { dryRun?: boolean }) => {
      if (opts.dryRun) {
        const pending = await pendingMigrations(ctx.db.pool);
        out.line(
          pending.length === 0 ? 'Database is up to date: no pending migrations.' : 'Pending migrations:',
        );
        for (const m of pending) out.line(`  ${m.version}_${m.name}`);
        return;
      }
      const applied = await migrate(ctx.db);
      if (applied.length === 0) {
        out.line('Database is up to date: no pending migrations.');
        return;
      }
      out.line(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:`);
      for (const m of applied) out.line(`  ${m.version}_${m.name}`);
    });
}
