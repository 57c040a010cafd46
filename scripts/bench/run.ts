import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchReport, RESULT_PREFIX } from './report.js';

/**
 * `npm run bench [name...]`: runs each scripts/bench/*.bench.ts in its own process (so one benchmark's
 * heap and timers never skew another), prints their tables and writes .data/bench/results.json.
 */
const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const all = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts'));
// A name picks its own file when there is one (`retrieval` is not also `retrieval-native`), else a prefix.
const picks = (o: string, f: string) =>
  all.includes(`${o}.bench.ts`) ? f === `${o}.bench.ts` : f.startsWith(o);
const files = all.filter((f) => only.length === 0 || only.some((o) => picks(o, f))).sort();

const reports: BenchReport[] = [];
let failed = 0;
for (const file of files) {
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      const text = c.toString();
      stdout += text;
      process.stdout.write(
        text
          .split('\n')
          .filter((l) => !l.startsWith(RESULT_PREFIX))
          .join('\n'),
      );
    });
    child.on('exit', (code) => resolve({ code, stdout }));
  });
  if (out.code !== 0) {
    failed++;
    process.stderr.write(`\n${file} failed (exit ${out.code})\n`);
    continue;
  }
  for (const line of out.stdout.split('\n')) {
    if (line.startsWith(RESULT_PREFIX))
      reports.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchReport);
  }
}

const outDir = path.resolve('.data', 'bench');
await mkdir(outDir, { recursive: true });
await writeFile(
  path.join(outDir, 'results.json'),
  JSON.stringify({ at: new Date().toISOString(), reports }, null, 2),
);
process.stdout.write(
  `\n${reports.length} benchmark(s) written to ${path.relative(process.cwd(), outDir)}/results.json\n`,
);
process.exit(failed > 0 ? 1 : 0);
