import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { isAppError } from '../errors.js';
import { DatabaseRequirementError } from '../infra/db/requirements.repo.js';
import type { CliContext, CliOutput } from './cli-context.js';
import { registerAnnouncementsCommands } from './commands/announcements.command.js';
import { registerApiKeysCommands } from './commands/apikeys.command.js';
import { registerDemoCommands } from './commands/demo.command.js';
import { registerDocsCommands } from './commands/docs.command.js';
import { registerJobsCommands } from './commands/jobs.command.js';
import { registerKeysCommands } from './commands/keys.command.js';
import { registerMigrateCommand } from './commands/migrate.command.js';
import { registerTenantStatusCommands } from './commands/tenant-status.command.js';
import { registerTenantsCommands } from './commands/tenants.command.js';
import { registerVectorIndexesCommands } from './commands/vector-indexes.command.js';

/** Builds the operator command tree; each command writes to `out` so it can run locally or in the server. */
export function buildProgram(ctx: CliContext, out: CliOutput): Command {
  const program = new Command('lore')
    .description('Lore operator commands. With embedded defaults they run inside the running server.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.line(s.trimEnd()),
      writeErr: (s) => out.error(s.trimEnd()),
      outputError: (s, write) => write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerMigrateCommand(program, ctx, out);
  registerTenantStatusCommands(registerTenantsCommands(program, ctx, out), ctx, out);
  registerJobsCommands(program, ctx, out);
  registerDocsCommands(program, ctx, out);
  registerApiKeysCommands(program, ctx, out);
  registerKeysCommands(program, ctx, out);
  registerDemoCommands(program, ctx, out);
  registerAnnouncementsCommands(program, ctx, out);
  registerVectorIndexesCommands(program, ctx, out);
  return program;
}

/**
 * Runs one operator command line (`argv` without node and script) and returns its exit code. `context` is
 * the commands' context, or how to open it: then it is opened just before a command's action runs, so help
 * and usage errors need no configuration and no database.
 */
export async function runCli(
  argv: string[],
  context: CliContext | (() => Promise<CliContext>),
  out: CliOutput,
): Promise<number> {
  // The commands capture this object when they are registered; an opener fills it in before an action.
  const ctx = typeof context === 'function' ? ({} as CliContext) : context;
  const program = buildProgram(ctx, out);
  if (typeof context === 'function') {
    program.hook('preAction', async () => {
      Object.assign(ctx, await context());
    });
  }
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version requests "fail" with exit code 0 in commander; everything else is a usage error.
      return err.exitCode;
    }
    const message = isAppError(err) || err instanceof Error ? err.message : String(err);
    out.error(`Error: ${message}`);
    // A database that cannot take the migrations, or an invalid configuration, is not a bug: the message is
    // the whole story, and a logged stack would bury it (nor is there a logger before the context opened).
    if (!(err instanceof DatabaseRequirementError || err instanceof ConfigError))
      ctx.logger?.warn({ err, argv: argv.slice(0, 2) }, 'cli command failed');
    return 1;
  }
}
