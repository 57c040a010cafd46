import type { Command } from 'commander';
import { keyOfTenant } from '../../tenants/slack-key.js';
import { findTenantBySlackId } from '../../tenants/tenants.repo.js';
import type { CliContext, CliOutput } from '../cli-context.js';

/** `tenants suspend|resume <team-or-enterprise-id>`: stop or restart serving a workspace (audited). */
export function registerTenantStatusCommands(tenants: Command, ctx: CliContext, out: CliOutput): void {
  const find = async (slackId: string) => {
    const tenant = await findTenantBySlackId(ctx.db.pool, slackId);
    if (!tenant) throw new Error(`No tenant has the Slack id "${slackId}" (see \`tenants list\`).`);
    return tenant;
  };

  tenants
    .command('suspend')
    .description('stop answering a workspace (its events get no answers) until it is resumed')
    .argument('<slack-id>', 'team id (T…) of a workspace, or enterprise id (E…) of an org-wide install')
    .action(async (slackId: string) => {
      const tenant = await find(slackId);
      const { changed, tenant: after } = await ctx.tenants.lifecycle.suspend(keyOfTenant(tenant), ctx.actor);
      if (changed) {
        out.line(
          `Suspended "${tenant.name}" (${slackId}): Lore no longer answers there. Undo with \`tenants resume ${slackId}\`.`,
        );
      } else if (after.status === 'suspended') {
        out.line(`"${tenant.name}" (${slackId}) was already suspended: nothing changed.`);
      } else {
        out.line(`"${tenant.name}" (${slackId}) is ${after.status} (not installed): nothing to suspend.`);
      }
    });

  tenants
    .command('resume')
    .description('answer a suspended workspace again')
    .argument('<slack-id>', 'team id (T…) or enterprise id (E…)')
    .action(async (slackId: string) => {
      const tenant = await find(slackId);
      const { changed, tenant: after } = await ctx.tenants.lifecycle.resume(keyOfTenant(tenant), ctx.actor);
      if (changed) out.line(`Resumed "${tenant.name}" (${slackId}): Lore answers there again.`);
      else out.line(`"${tenant.name}" (${slackId}) is ${after.status}, not suspended: nothing changed.`);
    });
}
