import type { Command } from 'commander';
import type { ZodType } from 'zod';
import { createApiKeyBody, rotateApiKeyBody } from '../../contracts/settings.contract.js';
import { badRequest } from '../../errors.js';
import type { ApiKeyInfo } from '../../tenants/access/api-keys.repo.js';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from '../../tenants/access/api-keys.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { resolveTenantOption } from '../resolve-tenant.js';

/** Checks options against the same schema the dashboard's requests are checked with. */
function parsed<T>(schema: ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

function stateOf(k: ApiKeyInfo, now = Date.now()): string {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt.getTime() <= now) return 'expired';
  if (k.replacedBy)
    return `rotated, works until ${k.expiresAt?.toISOString().slice(0, 16).replace('T', ' ')}`;
  return 'active';
}

/** `apikeys ...`: keys for scripts (`Authorization: Bearer <key>` on /api/documents and /api/ask). */
export function registerApiKeysCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const keys = program.command('apikeys').description('API keys for scripted document syncs');
  keys
    .command('create')
    .description('create a key (shown once)')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. "wiki sync"')
    .option(
      '-s, --scopes <list>',
      'comma-separated: documents:read, documents:write, ask',
      'documents:read,documents:write',
    )
    .option('-e, --expires-days <n>', 'the key stops working after this many days (default: never)')
    .action(async (opts: { tenant: string; name: string; scopes: string; expiresDays?: string }) => {
      const input = parsed(createApiKeyBody, {
        name: opts.name,
        scopes: opts.scopes.split(',').map((s) => s.trim()),
        expiresInDays: opts.expiresDays === undefined ? null : Number(opts.expiresDays),
      });
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const { key, info } = await createApiKey(ctx.db, tenant.id, { ...input, actor: ctx.actor });
      out.line(`Created API key "${info.name}" (${info.id}) for ${tenant.name}: ${info.scopes.join(', ')}.`);
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
          ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED', 'EXPIRES', 'STATE'],
          rows.map((k) => [
            k.id,
            k.name,
            `${k.prefix}…`,
            k.scopes.join(','),
            k.createdAt.toISOString().slice(0, 10),
            k.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never',
            k.expiresAt?.toISOString().slice(0, 10) ?? 'never',
            stateOf(k),
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
  keys
    .command('rotate')
    .description('issue a new key; the old one keeps working for the grace period, then stops')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .requiredOption(
      '-g, --grace-hours <n>',
      'hours the old key keeps working (0: stops at once, at most 720)',
    )
    .argument('<key-id>', 'id from `apikeys list`')
    .action(async (id: string, opts: { tenant: string; graceHours: string }) => {
      const { graceHours } = parsed(rotateApiKeyBody, { graceHours: Number(opts.graceHours) });
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const { key, info } = await rotateApiKey(ctx.db, tenant.id, { id, graceHours, actor: ctx.actor });
      out.line(`Rotated API key ${id}: the new key is ${info.id}; the old one stops in ${graceHours} hours.`);
      out.line(`Key (shown only now, store it safely): ${key}`);
    });
}
