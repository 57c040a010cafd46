import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { isAppError } from '../../errors.js';
import { publicAddressesOnly } from '../../infra/http/address-policy.js';
import { addDocument } from '../../knowledge/document-intake.service.js';
import { documentStatuses, listDocuments, reindexTenant } from '../../knowledge/documents.service.js';
import { addWebSource } from '../../knowledge/web/web-sources.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { resolveTenantOption } from '../resolve-tenant.js';

const embeddingModelOf = (ctx: CliContext) =>
  ctx.config.openai.apiKey ? ctx.config.openai.embeddingModel : null;

/** `docs ...`: add, list, watch and re-index a workspace's documents. */
export function registerDocsCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const docs = program.command('docs').description("manage a workspace's knowledge base");

  docs
    .command('add')
    .description('upload documents (PDF, DOCX, Markdown, HTML, text) and show their progress')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .option('--no-wait', 'return once queued instead of showing progress')
    .argument('<files...>', 'files to add')
    .action(async (names: string[], opts: { tenant: string }) => {
      const files = names.map((f) => path.resolve(ctx.cwd, f));
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const queued: { id: string; file: string }[] = [];
      let failures = 0;
      for (const file of files) {
        try {
          if (!(await stat(file)).isFile()) throw new Error('not a file');
          const r = await addDocument(ctx, tenant.id, {
            fileName: path.basename(file),
            body: createReadStream(file),
            source: 'cli',
            actor: ctx.actor,
          });
          const verb = {
            created: 'queued',
            new_version: 'queued as a new version',
            duplicate: 'unchanged (identical file already added)',
          }[r.outcome];
          out.line(`${path.basename(file)}: ${verb}`);
          if (r.outcome !== 'duplicate') queued.push({ id: r.document.id, file: path.basename(file) });
        } catch (err) {
          failures++;
          const message = isAppError(err) && err.expose ? err.message : (err as Error).message;
          out.error(`${path.basename(file)}: ${message}`);
        }
      }
      out.data({ tenant: opts.tenant, documents: queued });
      if (failures > 0) throw new Error(`${failures} of ${files.length} file(s) could not be added.`);
    });

  docs
    .command('add-url')
    .description("follow web pages (or a sitemap's pages): fetched by the worker, refreshed daily")
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .option('--sitemap', 'each URL is a sitemap: follow every page it lists')
    .argument('<urls...>', 'page or sitemap URLs (http or https)')
    .action(async (urls: string[], opts: { tenant: string; sitemap?: boolean }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const added: { id: string; url: string; documentId: string | null }[] = [];
      for (const url of urls) {
        try {
          const s = await addWebSource(
            { db: ctx.db, queue: ctx.queue, policy: ctx.web?.policy ?? publicAddressesOnly },
            tenant.id,
            {
              url,
              kind: opts.sitemap ? 'sitemap' : 'page',
              actor: ctx.actor,
            },
          );
          added.push({ id: s.id, url: s.url, documentId: s.documentId });
          out.line(`${s.url}: queued (${s.kind}); see its status with: docs list --tenant ${opts.tenant}`);
        } catch (err) {
          out.error(`${url}: ${isAppError(err) && err.expose ? err.message : (err as Error).message}`);
        }
      }
      out.data({ tenant: opts.tenant, sources: added });
      if (added.length < urls.length)
        throw new Error(`${urls.length - added.length} of ${urls.length} URL(s) could not be added.`);
    });

  docs
    .command('list')
    .description("list a workspace's documents")
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .option('-s, --search <text>', 'filter by title or file name')
    .action(async (opts: { tenant: string; search?: string }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const page = await listDocuments(ctx.db, tenant.id, {
        search: opts.search,
        sort: 'updated',
        order: 'desc',
        limit: 200,
        offset: 0,
      });
      if (page.total === 0)
        return out.line('No documents yet. Add some with: docs add --tenant <id> <files...>');
      out.line(
        formatTable(
          ['ID', 'TITLE', 'STATUS', 'PASSAGES', 'VERSION', 'UPDATED'],
          page.items.map((d) => [
            d.id,
            d.title.slice(0, 40),
            d.status === 'failed' ? `failed: ${d.errorReason ?? ''}`.slice(0, 60) : progressLabel(d),
            String(d.chunkCount),
            String(d.latestVersion),
            d.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
          ]),
        ),
      );
      out.line(`${page.total} document(s).`);
    });

  docs
    .command('status')
    .description('pipeline status of documents (what `docs add` watches)')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .argument('<ids...>', 'document ids')
    .action(async (ids: string[], opts: { tenant: string }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const rows = await documentStatuses(ctx.db, tenant.id, ids);
      out.data(rows);
      for (const r of rows)
        out.line(`${r.id}  ${r.status}${r.total ? ` ${r.done}/${r.total}` : ''}  ${r.title}`);
    });

  docs
    .command('reindex')
    .description('re-embed documents made with another embedding model (or all of them)')
    .requiredOption('-t, --tenant <id>', 'Slack team or enterprise id, or "demo"')
    .option('--all', 're-process every document')
    .action(async (opts: { tenant: string; all?: boolean }) => {
      const tenant = await resolveTenantOption(ctx.db, opts.tenant);
      const n = await reindexTenant(ctx, tenant.id, {
        embeddingModel: embeddingModelOf(ctx),
        all: opts.all,
        actor: ctx.actor,
      });
      out.line(
        n === 0
          ? 'Every document is indexed with the current model: nothing to do.'
          : `Queued ${n} document(s) for re-indexing.`,
      );
    });
}

function progressLabel(d: { status: string; progressDone: number; progressTotal: number }): string {
  return d.status === 'embedding' && d.progressTotal > 0
    ? `embedding ${d.progressDone}/${d.progressTotal}`
    : d.status;
}
