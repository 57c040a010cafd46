import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { openMigratedPglite, writeMigratedSnapshot } from '../../tests/support/pglite-snapshot.js';
import { reportBench } from './report.js';

/**
 * What a test file pays for its migrated PGlite: before, a fresh engine migrated from scratch (what every
 * file did); now, a copy of the run's snapshot (tests/support/pglite-snapshot.ts). Each measurement runs in
 * a new process, as a test file does (vitest forks one per file), so it includes loading the WASM engine;
 * the two are interleaved so load on a shared machine hits both alike. CPU time (user + system of that
 * process) is reported beside wall time, because it moves less with other work on the machine.
 */
const ROUNDS = 5;
const self = fileURLToPath(import.meta.url);

type Mode = 'migrate-memory' | 'snapshot-memory' | 'migrate-disk' | 'snapshot-disk';

/** Child: one migrated database the given way; prints `wall cpu` in seconds. */
async function measureOnce(mode: Mode, snapshot: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const dir = await mkdtemp(path.join(tmpdir(), 'lore-bench-db-'));
  const where = mode.endsWith('disk') ? path.join(dir, 'pglite') : 'memory://';
  let db: Awaited<ReturnType<typeof createEmbeddedDatabase>>;
  if (mode.startsWith('snapshot')) db = await openMigratedPglite(snapshot, where);
  else {
    db = await createEmbeddedDatabase(where);
    await migrate(db);
  }
  await db.pool.query('SELECT count(*) FROM supabase_migrations.schema_migrations');
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / 1000;
  await db.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`${wall} ${(used.user + used.system) / 1e6}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lore-bench-snapshot-'));
  const snapshot = path.join(dir, 'pglite-migrated.tar');
  const made = performance.now();
  await writeMigratedSnapshot(snapshot);
  const snapshotSeconds = (performance.now() - made) / 1000;
  const samples = new Map<Mode, { wall: number[]; cpu: number[] }>();
  const modes: Mode[] = ['migrate-memory', 'snapshot-memory', 'migrate-disk', 'snapshot-disk'];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of modes) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', self, mode, snapshot], {
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`${mode} failed: ${child.stderr}`);
      const [wall, cpu] = child.stdout.trim().split(' ').map(Number);
      const s = samples.get(mode) ?? { wall: [], cpu: [] };
      s.wall.push(wall ?? Number.NaN);
      s.cpu.push(cpu ?? Number.NaN);
      samples.set(mode, s);
    }
  }
  await rm(dir, { recursive: true, force: true });
  const row = (metric: string, before: Mode, after: Mode, kind: 'wall' | 'cpu') => ({
    metric,
    baseline: median(samples.get(before)?.[kind] ?? []),
    lore: median(samples.get(after)?.[kind] ?? []),
  });
  reportBench({
    name: 'test-database',
    description: `a test file's migrated PGlite, new process each, median of ${ROUNDS} (s); baseline = migrate from scratch, lore = copy of the run's snapshot (made once in ${snapshotSeconds.toFixed(1)} s)`,
    rows: [
      row('in memory, wall', 'migrate-memory', 'snapshot-memory', 'wall'),
      row('in memory, CPU', 'migrate-memory', 'snapshot-memory', 'cpu'),
      row('DATA_DIR on disk, wall', 'migrate-disk', 'snapshot-disk', 'wall'),
      row('DATA_DIR on disk, CPU', 'migrate-disk', 'snapshot-disk', 'cpu'),
    ],
  });
}

const [mode, snapshot] = process.argv.slice(2);
if (mode && snapshot) await measureOnce(mode as Mode, snapshot);
else await main();
