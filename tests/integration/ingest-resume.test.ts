import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { DEMO_TEAM_ID } from '../../src/tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../src/tenants/tenants.repo.js';
import { addReadyDocument, rowsOf } from '../support/slack-answers.js';
import { createMigratedPglite } from '../support/test-db.js';

/**
 * A process that dies while reading a document (out of memory, SIGKILL) leaves the version unfinished. The
 * next start resumes it, after the server listens; a version whose reads died twice is failed, not retried,
 * so one file cannot crash every worker in turn.
 */
describe('unfinished ingestion across restarts', () => {
  let dataDir: string;
  let app: RunningApp | undefined;
  let tenantId: string;
  const config = () => loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test' });
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lore-resume-'));
    // The first start on a migrated copy in DATA_DIR/pglite; every restart reopens those files itself.
    app = await startApp(config(), logger, {
      database: await createMigratedPglite(path.join(dataDir, 'pglite')),
    });
    tenantId = (await findTenantBySlackId(app.container.db.pool, DEMO_TEAM_ID))?.id ?? '';
  });
  afterAll(async () => {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Leaves `fileName`'s version as a process that died mid-read `deaths` times would, then restarts. */
  async function dieWhileReading(fileName: string, deaths: number): Promise<string> {
    const running = app as RunningApp;
    await addReadyDocument(running, tenantId, fileName, `# ${fileName}\n\nParking is free for staff.`);
    const [doc] = await rowsOf(running, 'SELECT id FROM lore.documents WHERE source_name = $1', [fileName]);
    await rowsOf(
      running,
      `UPDATE lore.document_versions SET status = 'parsing', parse_attempts = $2 WHERE document_id = $1`,
      [doc.id, deaths],
    );
    await rowsOf(running, `UPDATE lore.documents SET status = 'parsing' WHERE id = $1`, [doc.id]);
    await running.stop();
    app = await startApp(config(), logger);
    return doc.id;
  }

  const statusOf = async (id: string) =>
    (
      await rowsOf(
        app as RunningApp,
        'SELECT status, error_reason AS reason FROM lore.documents WHERE id = $1',
        [id],
      )
    )[0];

  it('finishes a read that one crash interrupted', async () => {
    const id = await dieWhileReading('parking.md', 1);
    await vi.waitFor(async () => expect(await statusOf(id)).toEqual({ status: 'ready', reason: null }), {
      timeout: 30_000,
      interval: 50,
    });
    const [version] = await rowsOf(
      app as RunningApp,
      'SELECT parse_attempts FROM lore.document_versions WHERE document_id = $1',
      [id],
    );
    expect(version.parse_attempts).toBe(0);
  });

  it('fails a version whose reads died twice with the process, with a reason, and keeps serving', async () => {
    const id = await dieWhileReading('crasher.md', 2);
    await vi.waitFor(async () => expect((await statusOf(id)).status).toBe('failed'), {
      timeout: 30_000,
      interval: 50,
    });
    expect((await statusOf(id)).reason).toMatch(
      /stopped twice while reading this file, so it will not try again/,
    );
    expect((await fetch(`${(app as RunningApp).url}/readyz`)).status).toBe(200);
  });
});
