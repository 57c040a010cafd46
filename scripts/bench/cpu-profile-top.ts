import { readFile } from 'node:fs/promises';

/**
 * `npx tsx scripts/bench/cpu-profile-top.ts <file.cpuprofile> [n] [--inclusive]`: the functions with the most
 * self time in a V8 CPU profile (node --cpu-prof), grouped by function and file, as a share of all samples.
 *
 * `--inclusive`: total time instead, as a share of the busy (not idle) samples. Each sample's whole stack is
 * walked and every subsystem, Lore source file and function on it is counted once: "bolt 60%" means Bolt's
 * code was on the stack in 60% of the busy samples, whatever it called. Also the self time by subsystem (the
 * innermost frame that belongs to one), which adds up to 100%. `--skip=<s>` leaves out the first seconds
 * (the process's start: module loading and compilation).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples?: number[];
  timeDeltas?: number[];
}
const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const skipUs = Number(args.find((a) => a.startsWith('--skip='))?.slice(7) ?? 0) * 1e6;
const [file, n] = args.filter((a) => !a.startsWith('--'));
const limit = Number(n ?? 25);
const profile = JSON.parse(await readFile(file ?? '', 'utf8')) as Profile;
const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(1).padStart(5)}%`;
const where = (url: string) =>
  url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|scripts)\//, '$1/');
const keyOf = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'}  ${where(url)}:${lineNumber + 1}`;
};

if (!inclusive) {
  // Samples name the node on top of the stack at each tick; hitCount is not always filled in.
  const hitsOf = new Map<number, number>();
  for (const id of profile.samples ?? []) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1);
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = profile.samples ? (hitsOf.get(node.id) ?? 0) : (node.hitCount ?? 0);
    total += hits;
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit);
  for (const [key, hits] of top) process.stdout.write(`${pct(hits, total)}  ${key}\n`);
  process.exit(0);
}

/** The subsystem a frame belongs to, or undefined for a frame that belongs to none (anonymous glue). */
function subsystemOf(node: Node): string | undefined {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)')
      return undefined;
    return 'native (no url)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    if (pkg.startsWith('@slack/')) return pkg === '@slack/bolt' ? 'bolt' : `slack:${pkg.slice(7)}`;
    if (['express', 'router', 'body-parser', 'raw-body', 'finalhandler', 'send', 'on-finished'].includes(pkg))
      return `express:${pkg}`;
    return pkg;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = /\/(src|scripts)\/(.*)$/.exec(url);
  if (src) return `lore:${src[1]}/${src[2]?.split('/')[0]}`;
  return 'other';
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
const inclusiveOf = { subsystem: new Map<string, number>(), file: new Map<string, number>() };
const fn = new Map<string, number>();
const selfOf = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
let busy = 0;
let idle = 0;
let elapsed = 0;
samples.forEach((id, i) => {
  // Each sample stands for the time until the next one (V8 records the delta before it).
  const us = deltas[i + 1] ?? deltas[i] ?? 0;
  elapsed += deltas[i] ?? 0;
  if (elapsed < skipUs) return;
  const top = byId.get(id);
  if (!top) return;
  const name = top.callFrame.functionName;
  if (name === '(idle)' || name === '(program)') {
    idle += us;
    return;
  }
  busy += us;
  const seen = new Set<string>();
  let innermost: string | undefined;
  for (let node: Node | undefined = top; node; node = byId.get(parentOf.get(node.id) ?? -1)) {
    const sub = subsystemOf(node);
    innermost ??= sub;
    if (sub && !seen.has(sub)) {
      seen.add(sub);
      add(inclusiveOf.subsystem, sub, us);
    }
    const url = node.callFrame.url;
    if (/\/src\//.test(url)) {
      const f = `file ${where(url)}`;
      if (!seen.has(f)) {
        seen.add(f);
        add(inclusiveOf.file, where(url), us);
      }
    }
    const k = keyOf(node);
    if (node.callFrame.url && !seen.has(k)) {
      seen.add(k);
      add(fn, k, us);
    }
  }
  add(selfOf, innermost ?? 'unattributed', us);
});
const show = (title: string, m: Map<string, number>, max = limit) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, max))
    process.stdout.write(`${pct(v, busy)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(
  `busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms (${pct(idle, busy + idle).trim()} idle); shares below are of busy time\n`,
);
show('inclusive by subsystem (on the stack)', inclusiveOf.subsystem);
show('self by subsystem (innermost frame that belongs to one)', selfOf);
show('inclusive by Lore source file', inclusiveOf.file);
show('inclusive by function', fn, limit * 2);
