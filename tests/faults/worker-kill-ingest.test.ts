import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import type { LoreProcess } from '../support/lore-process.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';
import { type FaultStack, startFaultStack } from './support/fault-stack.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import {
  eventually,
  expectWholeDocument,
  faultWorkspace,
  installThroughOAuth,
  longHandbook,
  requireNativeInCi,
  storedDocument,
  uploadText,
} from './support/production.js';

requireNativeInCi(onNativePostgres, 'the worker-kill test');

const WS = faultWorkspace('INGESTKILL', 'Ingest Kill Co');
// Two embeddings batches (256 chunks each at most): the worker is killed after the first.
const HANDBOOK = longHandbook(400, 'Expenses');

/**
 * A worker SIGKILLed while it embeds a long document (after the first batch, before the chunks are
 * stored), with two worker processes as production runs them. The other worker picks the job up once the
 * killed one's lock expires, and the document ends `ready` with exactly the chunks the same file gets
 * when nothing goes wrong: none missing, none twice, none from the killed attempt.
 */
describe.skipIf(!onNativePostgres)('a worker SIGKILLed mid-ingest', () => {
  let db: Database & { url?: string };
  let redis: PrivateRedis;
  let stack: FaultStack;
  let web: LoreProcess;
  let worker1: LoreProcess;
  let worker2: LoreProcess;
  let tenantId: string;
  let apiKey: string;

  beforeAll(async () => {
    db = await createTestDatabase({ connections: 2 });
    redis = await startPrivateRedis();
    stack = await startFaultStack({
      workspace: WS,
      databaseUrl: db.url as string,
      redisUrl: redis.url,
      openai: { embedDelayMs: 1_500 },
      processes: { web: 'web', worker1: 'worker', worker2: 'worker' },
    });
    [web, worker1, worker2] = [stack.proc('web'), stack.proc('worker1'), stack.proc('worker2')];
    tenantId = await installThroughOAuth(web.url, db, WS);
    apiKey = (await createApiKey(db, tenantId, { name: 'ingest-kill', actor: 'test' })).key;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
    await db?.close();
  });

  it('the other worker finishes the document with exactly the chunks an undisturbed run makes', async () => {
    // The file ingested with nothing going wrong, then removed (the same bytes again would be a duplicate).
    const referenceId = await uploadText(web.url, apiKey, 'expenses.md', HANDBOOK);
    await vi.waitFor(() => expectWholeDocument(db, referenceId), eventually(60_000));
    const reference = await expectWholeDocument(db, referenceId);
    expect(reference.length).toBeGreaterThan(256);
    const removed = await fetch(`${web.url}/api/documents/${referenceId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(removed.ok).toBe(true);

    // Worker 2 sleeps, so worker 1 takes the job.
    worker2.child.kill('SIGSTOP');
    let documentId = '';
    let killedAt = 0;
    try {
      documentId = await uploadText(web.url, apiKey, 'expenses.md', HANDBOOK);
      // Killed between embeddings batches: the first is done, nothing is stored yet.
      await vi.waitFor(async () => {
        const { rows } = await db.pool.query<{ status: string; done: number }>(
          'SELECT status, progress_done AS done FROM lore.documents WHERE id = $1',
          [documentId],
        );
        expect(rows[0]?.status).toBe('embedding');
        expect(rows[0]?.done).toBeGreaterThan(0);
      }, eventually(60_000));
      expect(worker1.name).toBe('worker1');
      expect(await worker1.stop('SIGKILL')).toBe(null);
      killedAt = performance.now();
    } finally {
      worker2.child.kill('SIGCONT');
    }
    const killed = await storedDocument(db, documentId);
    expect(killed.status).toBe('embedding');
    expect(killed.chunks).toEqual([]);

    // BullMQ hands the stalled job to worker 2 once worker 1's lock expires (about 30 s).
    await vi.waitFor(() => expectWholeDocument(db, documentId), eventually(150_000));
    const recoveredInS = Math.round((performance.now() - killedAt) / 1000);
    expect(await expectWholeDocument(db, documentId)).toEqual(reference);
    // One version, read once more after the kill (not given up on as a file that crashes its reader).
    expect((await storedDocument(db, documentId)).versions).toEqual(['ready']);
    const usage = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lore.usage_events u JOIN lore.document_versions v
         ON u.idempotency_key = 'embed-' || v.id WHERE v.document_id = $1`,
      [documentId],
    );
    expect(usage.rows[0]?.n).toBe(1);
    process.stdout.write(
      `Worker SIGKILLed mid-ingest: 1 document of ${reference.length} chunks, killed after the first embeddings batch; ended ready ${recoveredInS} s after the kill with ${reference.length} chunks, duplicated 0, lost 0\n`,
    );
  }, 240_000);
});
