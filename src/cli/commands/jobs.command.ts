import type { Command } from 'commander';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';

/** `jobs ...`: what the queue holds, failed jobs and retrying them. */
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
      const retried = await ctx.queue.retryFailed(id);
      if (!retried) throw new Error(`No failed job with id "${id}".`);
      out.line(`Job ${id} queued again.`);
    });
}
