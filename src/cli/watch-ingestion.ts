import cliProgress from 'cli-progress';

/** Runs one operator command (locally or in the running server) and returns its structured result. */
export type CliExec = (argv: string[]) => Promise<{ exitCode: number; output: string; data: unknown }>;

interface Status {
  id: string;
  title: string;
  status: string;
  done: number;
  total: number;
  errorReason: string | null;
}

const FINISHED = new Set(['ready', 'failed']);
const label = (s: Status) =>
  s.status === 'embedding' && s.total > 0 ? `embedding ${s.done}/${s.total}` : s.status;

/**
 * Shows documents moving through the pipeline until each is ready or failed: progress bars on a
 * terminal, one line per status change otherwise (CI logs, pipes). Resolves with the number that failed.
 */
export async function watchIngestion(
  exec: CliExec,
  tenant: string,
  docs: { id: string; file: string }[],
  opts: { stream: NodeJS.WriteStream; intervalMs?: number },
): Promise<number> {
  const names = new Map(docs.map((d) => [d.id, d.file]));
  const tty = Boolean(opts.stream.isTTY);
  const bars = tty
    ? new cliProgress.MultiBar(
        { stream: opts.stream, format: ' {bar} {name} {state}', hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bar = new Map(
    docs.map((d) => [d.id, bars?.create(1, 0, { name: d.file.padEnd(28), state: 'queued' })]),
  );
  const lastLabel = new Map<string, string>();
  let statuses: Status[] = [];
  while (true) {
    const res = await exec(['docs', 'status', '--tenant', tenant, ...docs.map((d) => d.id)]);
    if (res.exitCode !== 0) throw new Error(res.output || 'could not read document status');
    statuses = res.data as Status[];
    for (const s of statuses) {
      const text = s.status === 'failed' ? `failed: ${s.errorReason ?? 'unknown reason'}` : label(s);
      bar.get(s.id)?.setTotal(Math.max(1, s.total));
      bar.get(s.id)?.update(s.status === 'ready' ? Math.max(1, s.total) : s.done, { state: text });
      if (!tty && lastLabel.get(s.id) !== text) opts.stream.write(`${names.get(s.id)}: ${text}\n`);
      lastLabel.set(s.id, text);
    }
    if (statuses.length === docs.length && statuses.every((s) => FINISHED.has(s.status))) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
  bars?.stop();
  return statuses.filter((s) => s.status === 'failed').length;
}
