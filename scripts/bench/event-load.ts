import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'event-load.child.ts');

/**
 * This process's CPU time (µs) per event while another process posts `total` signed mentions to `url`.
 * Throughput on a shared 2-core machine depends on whatever else runs; CPU time spent per event by the
 * server (user + system, all its threads) barely does, so it is the steadier comparison.
 */
export async function cpuPerEventUnderLoad(
  url: string,
  opts: { secret: string; tenants: number; total: number; concurrency: number },
): Promise<number> {
  const before = process.cpuUsage();
  await run(process.execPath, [
    '--import',
    'tsx',
    child,
    url,
    opts.secret,
    String(opts.tenants),
    String(opts.total),
    String(opts.concurrency),
  ]);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / opts.total;
}
