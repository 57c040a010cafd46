import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeOpenAiOptions, startFakeOpenAi } from '../../../scripts/fake-openai-server.js';
import { type SlackStandIn, startSlackStandIn } from '../../../scripts/slack-stand-in.js';
import { type LoreProcess, startLoreProcess } from '../../support/lore-process.js';
import { type FaultWorkspace, productionEnv } from './production.js';

type Role = 'web' | 'worker';

/** Lore's processes as production runs them, with Slack and OpenAI at stand-ins: what every fault test starts. */
export interface FaultStack {
  slack: SlackStandIn;
  openai: Awaited<ReturnType<typeof startFakeOpenAi>>;
  /** The environment every process of the stack gets (NODE_ENV=production, every secret). */
  env: Record<string, string>;
  /** A process started by name; throws for a name never started. */
  proc(name: string): LoreProcess;
  /** Starts one more process (or a replacement under the same name) on the stack's environment. */
  start(name: string, role: Role): Promise<LoreProcess>;
  /** Stops every process (SIGTERM), the stand-ins, and removes the data folder; the database and Redis are the caller's. */
  stop(): Promise<void>;
}

/**
 * Starts the Slack stand-in for `workspace`, the OpenAI stand-in, and `processes` (name → role) at once,
 * against the caller's database and Redis. Installing the workspace is left to the test, which may want
 * to watch it.
 */
export async function startFaultStack(opts: {
  workspace: FaultWorkspace;
  databaseUrl: string;
  redisUrl: string;
  openai?: FakeOpenAiOptions;
  processes: Record<string, Role>;
}): Promise<FaultStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-faults-'));
  const slack = await startSlackStandIn({ workspace: opts.workspace });
  const openai = await startFakeOpenAi(opts.openai);
  const env = productionEnv({
    databaseUrl: opts.databaseUrl,
    redisUrl: opts.redisUrl,
    slackApiUrl: slack.apiUrl,
    openaiUrl: openai.url,
    dataDir,
  });
  const procs = new Map<string, LoreProcess>();
  // Every process ever started, replaced ones included, so stop() leaves none behind.
  const started: LoreProcess[] = [];
  const start = async (name: string, role: Role) => {
    const p = await startLoreProcess(name, { ...env, APP_ROLE: role });
    procs.set(name, p);
    started.push(p);
    return p;
  };
  await Promise.all(Object.entries(opts.processes).map(([name, role]) => start(name, role)));
  return {
    slack,
    openai,
    env,
    start,
    proc(name) {
      const p = procs.get(name);
      if (!p) throw new Error(`no process named ${name} in this fault stack`);
      return p;
    },
    async stop() {
      await Promise.all(started.map((p) => p.stop('SIGTERM', 10_000)));
      await Promise.all([slack.close(), openai.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
