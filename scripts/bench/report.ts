/** One compared measurement: the baseline measured in the same run, Lore's value, and their ratio. */
export interface BenchRow {
  metric: string;
  baseline: number;
  lore: number;
  ratio?: number;
}

export interface BenchReport {
  name: string;
  description: string;
  rows: BenchRow[];
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints a benchmark's result for humans, and one machine-readable line for the runner. */
export function reportBench(report: BenchReport): void {
  const rows = report.rows.map((r) => ({ ...r, ratio: r.ratio ?? r.lore / r.baseline }));
  process.stdout.write(`\n${report.name}: ${report.description}\n`);
  for (const r of rows) {
    process.stdout.write(
      `  ${r.metric.padEnd(28)} baseline ${fmt(r.baseline).padStart(10)}  lore ${fmt(r.lore).padStart(10)}  ratio ${r.ratio.toFixed(2)}\n`,
    );
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...report, rows })}\n`);
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
