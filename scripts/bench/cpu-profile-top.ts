import { readFile } from 'node:fs/promises';

/**
 * `npx tsx scripts/bench/cpu-profile-top.ts <file.cpuprofile> [n]`: the functions with the most self time
 * in a V8 CPU profile (node --cpu-prof), grouped by function and file, as a share of all samples.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, n] = process.argv.slice(2);
const profile = JSON.parse(await readFile(file ?? '', 'utf8')) as { nodes: Node[]; samples?: number[] };
// Samples name the node on top of the stack at each tick; hitCount is not always filled in.
const hitsOf = new Map<number, number>();
for (const id of profile.samples ?? []) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1);
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = profile.samples ? (hitsOf.get(node.id) ?? 0) : (node.hitCount ?? 0);
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|scripts)\//, '$1/');
  const key = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + hits);
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n ?? 25));
for (const [key, hits] of top)
  process.stdout.write(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}\n`);
