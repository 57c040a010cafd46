import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../tenants/api-keys.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { resolveTenantOption } from '../resolve-tenant.js';

/** `apikeys ...`: keys for scripted document syncs (`Authorization: Bearer <key>` on /api/documents). */
export function registerApiKeysCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const keys = program.command('apikeys').description('API keys for scripted document syncs');
  keys
    .command('create')
    .description('create a key (shown once)')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. "wiki sync"')
    .action(async (opts: { tenant: string; name: string }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const { key, info } = await createApiKey(ctx.db, tenant.id, { name: opts.name, actor: ctx.actor });
      out.line(`Created API key "${info.name}" (${info.id}) for ${tenant.name}.`);
      out.line(`Key (shown only now, store it safely): ${key}`);
    });
  keys
    .command('list')
    .description("list a workspace's keys")
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .action(async (opts: { tenant: string }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const rows = await listApiKeys(ctx.db, tenant.id);
      if (rows.length === 0) return out.line('No API keys.');
      out.line(
        formatTable(
          ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATE'],
          rows.map((k) => [
            k.id,
            k.name,
            `${k.prefix}…`,
            k.createdAt.toISOString().slice(0, 10),
            k.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never',
            k.revokedAt ? 'revoked' : 'active',
          ]),
        ),
      );
    });
  keys
    .command('revoke')
    .description('revoke a key at once')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .argument('<key-id>', 'id from `apikeys list`')
    .action(async (id: string, opts: { tenant: string }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      await revokeApiKey(ctx.db, tenant.id, { id, actor: ctx.actor });
      out.line(`Revoked API key ${id}.`);
    });
}
