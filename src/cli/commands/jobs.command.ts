import type { Command } from 'commander';
import { isAppError } from '../../errors.js';
import { actOnFailedJob } from '../../tenants/failed-jobs.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';

/** `jobs ...`: what the queue holds, failed jobs, and retrying or discarding them. */
export function registerJobsCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const jobs = program.command('jobs').description('inspect the job queue');
  const inMemoryWithoutServer = () => {
    if (ctx.queue.kind === 'memory' && ctx.where === 'local') {
      out.line(
        'No server is running: the in-memory queue lives inside the server process (start it with npm start).',
      );
      return true;
    }
    return false;
  };
  jobs
    .command('counts')
    .description('jobs by state')
    .action(async () => {
      if (inMemoryWithoutServer()) return;
      const counts = await ctx.queue.counts();
      out.line(
        formatTable(
          ['STATE', 'JOBS'],
          Object.entries(counts).map(([k, v]) => [k, String(v)]),
        ),
      );
    });
  jobs
    .command('failed')
    .description('jobs that failed after all their attempts')
    .option('-n, --limit <n>', 'how many to show', '20')
    .action(async (opts: { limit: string }) => {
      if (inMemoryWithoutServer()) return;
      const failed = await ctx.queue.failed(Number.parseInt(opts.limit, 10) || 20);
      if (failed.length === 0) {
        out.line('No failed jobs.');
        return;
      }
      out.line(
        formatTable(
          ['ID', 'JOB', 'ATTEMPTS', 'FAILED AT', 'ERROR'],
          failed.map((j) => [
            j.id,
            j.name,
            String(j.attempts),
            j.failedAt.toISOString(),
            j.error.slice(0, 80),
          ]),
        ),
      );
    });
  jobs
    .command('retry')
    .description('run a failed job again')
    .argument('<id>', 'job id from `jobs failed`')
    .action(async (id: string) => {
      if (inMemoryWithoutServer()) return;
      await failedJobAction('retry', id);
      out.line(`Job ${id} queued again.`);
    });
  jobs
    .command('discard')
    .description('remove a failed job for good (its work is not done)')
    .argument('<id>', 'job id from `jobs failed`')
    .action(async (id: string) => {
      if (inMemoryWithoutServer()) return;
      await failedJobAction('discard', id);
      out.line(`Job ${id} discarded.`);
    });

  /** Both are audited, as from the operator's health page. */
  async function failedJobAction(action: 'retry' | 'discard', id: string): Promise<void> {
    try {
      await actOnFailedJob({ db: ctx.db, queue: ctx.queue }, action, id, ctx.actor);
    } catch (err) {
      if (isAppError(err) && err.code === 'not_found') throw new Error(`No failed job with id "${id}".`);
      throw err;
    }
  }
}
