import type { Command } from 'commander';
import {
  describeVectorIndexes,
  syncVectorIndexes,
  type VectorIndexAction,
} from '../../knowledge/retrieval/tenant-vector-indexes.service.js';
import type { CliContext, CliOutput } from '../cli-context.js';
import { formatTable } from '../format-table.js';

const describeAction = (a: VectorIndexAction) =>
  a.kind === 'build'
    ? `build the index of tenant ${a.tenantId} (${a.chunks.toLocaleString('en')} chunks)`
    : `drop ${a.name} (${a.reason === 'invalid' ? 'left invalid by a failed build' : 'its tenant is below half the size'})`;

/** `vector-indexes list|sync`: large tenants' own HNSW indexes (the worker keeps them hourly). */
export function registerVectorIndexesCommands(program: Command, ctx: CliContext, out: CliOutput): void {
  const cmd = program
    .command('vector-indexes')
    .description('HNSW indexes of their own for workspaces past VECTOR_INDEX_MIN_CHUNKS searchable chunks');
  cmd
    .command('list')
    .description('tenant indexes, their size, and what the next sync would build or drop')
    .action(async () => {
      const { indexes, plan } = await describeVectorIndexes(ctx.db, ctx.config.vectorIndexes);
      out.line(
        indexes.length === 0
          ? 'No tenant has an index of its own.'
          : formatTable(
              ['TENANT', 'CHUNKS', 'INDEX MB', 'VALID'],
              indexes.map((i) => [
                i.tenantId,
                i.chunks.toLocaleString('en'),
                (i.bytes / 1048576).toFixed(0),
                i.valid ? 'yes' : 'no',
              ]),
            ),
      );
      out.line(plan.length === 0 ? 'Nothing to do.' : 'The next sync would:');
      for (const a of plan) out.line(`  ${describeAction(a)}`);
      out.data({ indexes, plan });
    });
  cmd
    .command('sync')
    .description(
      'build and drop now what the policy asks (minutes per large tenant; the worker does it hourly)',
    )
    .action(async () => {
      const started = new Map<VectorIndexAction, number>();
      const result = await syncVectorIndexes(ctx.db, ctx.config.vectorIndexes, (a, phase) => {
        if (phase === 'start') {
          started.set(a, performance.now());
          out.line(`${describeAction(a)}…`);
        } else {
          out.line(`  done in ${((performance.now() - (started.get(a) ?? 0)) / 1000).toFixed(1)} s`);
        }
      });
      if (result.status === 'busy') {
        out.error('Another process is building or dropping tenant indexes; try again when it is done.');
        throw new Error('Tenant vector indexes are busy.');
      }
      if (result.actions.length === 0) out.line('Nothing to do: every tenant index matches the policy.');
      out.data(result);
    });
}
