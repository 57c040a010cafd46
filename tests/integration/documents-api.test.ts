import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/tenants/access/api-keys.service.js';
import { DEMO_TEAM_ID } from '../../src/tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../src/tenants/tenants.repo.js';
import { buildPdf } from '../support/document-fixtures.js';
import { createTenant } from '../support/factories.js';
import { bodyOf, type JsonBody } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const HANDBOOK = `# Travel policy

## Booking flights
Book flights through the travel desk at least 14 days ahead. Economy class is the default for trips under six hours.

## Expenses
Submit receipts within 30 days. Meals are reimbursed up to 60 euros per day.
`;

describe('/api/documents: intake, pipeline status, versions, delete, tenant isolation', () => {
  let app: TestApp;
  let keyA: string;
  let keyB: string;
  let tenantA: string;

  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${app.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${init.key ?? keyA}`, ...(init.headers as Record<string, string>) },
    });

  const upload = (
    files: Array<{ name: string; body: string | Buffer; type?: string }>,
    key?: string,
    title?: string,
  ) => {
    const form = new FormData();
    if (title) form.append('title', title);
    for (const f of files)
      form.append('file', new Blob([f.body], { type: f.type ?? 'application/octet-stream' }), f.name);
    return api('/documents', { method: 'POST', body: form, key });
  };

  /** Polls a document until the pipeline finishes with it (bounded: 200 polls). */
  const settled = async (id: string, key?: string): Promise<JsonBody> => {
    for (let i = 0; i < 200; i++) {
      const doc = (await bodyOf(await api(`/documents/${id}`, { key }))).document;
      if (doc.status === 'ready' || doc.status === 'failed') return doc;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`document ${id} never settled`);
  };

  const chunkText = async (id: string, key?: string) =>
    (await bodyOf(await api(`/documents/${id}/chunks`, { key }))).items
      .map((c: JsonBody) => c.content)
      .join('\n');

  beforeAll(async () => {
    app = await startTestApp();
    const demo = await findTenantBySlackId(app.container.db.pool, DEMO_TEAM_ID);
    tenantA = demo?.id ?? '';
    const other = await createTenant(app.container.db, { slackTeamId: 'TOTHER01', name: 'Other Co' });
    keyA = (await createApiKey(app.container.db, tenantA, { name: 'sync', actor: 'test' })).key;
    keyB = (await createApiKey(app.container.db, other.id, { name: 'sync', actor: 'test' })).key;
  });
  afterAll(() => app.cleanup());

  it('turns a Markdown upload into searchable chunks with its sections, through queued → ready', async () => {
    const res = await upload([{ name: 'travel.md', body: HANDBOOK }]);
    expect(res.status).toBe(202);
    const { results } = await bodyOf(res);
    expect(results).toEqual([
      expect.objectContaining({
        fileName: 'travel.md',
        outcome: 'created',
        document: expect.objectContaining({ status: 'queued' }),
      }),
    ]);
    const doc = await settled(results[0].document.id);
    expect(doc).toMatchObject({ status: 'ready', title: 'Travel policy', errorReason: null });
    expect(doc.chunkCount).toBeGreaterThan(0);
    const chunks = (await bodyOf(await api(`/documents/${doc.id}/chunks`))).items;
    expect(chunks.map((c: JsonBody) => c.section).join('|')).toContain('Booking flights');
    expect(chunks.map((c: JsonBody) => c.content).join(' ')).toContain('60 euros per day');
  });

  it('recognises an identical file and does not process it again', async () => {
    const res = await upload([{ name: 'travel-copy.md', body: HANDBOOK }]);
    const { results } = await bodyOf(res);
    expect(results[0]).toMatchObject({ outcome: 'duplicate', document: { sourceName: 'travel.md' } });
    const list = await bodyOf(await api('/documents?search=travel'));
    expect(list.total).toBe(1);
  });

  it('makes a changed upload with the same name a new version whose chunks replace the old ones', async () => {
    const v2 = HANDBOOK.replace('60 euros', '75 euros');
    const { results } = await bodyOf(await upload([{ name: 'travel.md', body: v2 }]));
    expect(results[0].outcome).toBe('new_version');
    const doc = await settled(results[0].document.id);
    expect(doc.latestVersion).toBe(2);
    const text = await chunkText(doc.id);
    expect(text).toContain('75 euros');
    expect(text).not.toContain('60 euros');
    const detail = await bodyOf(await api(`/documents/${doc.id}`));
    expect(detail.versions.map((v: JsonBody) => [v.version, v.status])).toEqual([
      [2, 'ready'],
      [1, 'ready'],
    ]);
    // Only the contract's fields: where the original lies in the blob store is Lore's business.
    expect(detail.document.activeVersionId).toBe(detail.versions[0].id);
    const wire = JSON.stringify(detail);
    expect(wire).not.toMatch(/blobKey|blob_key/);
    expect(wire).not.toContain(`${doc.id}/1`);
    expect(Object.keys(detail.versions[0]).sort()).toEqual(
      [
        'byteSize',
        'checksum',
        'createdAt',
        'documentId',
        'errorReason',
        'id',
        'mediaType',
        'pageCount',
        'status',
        'version',
      ].sort(),
    );
  });

  it('parses a PDF with page numbers on its chunks', async () => {
    const pdf = await buildPdf(
      [
        { heading: 'Security basics', paragraphs: ['Lock your laptop whenever you leave your desk.'] },
        { heading: 'Passwords', paragraphs: ['Use the company password manager for every account.'] },
      ],
      { title: 'Security handbook' },
    );
    const { results } = await bodyOf(
      await upload([{ name: 'security.pdf', body: pdf, type: 'application/pdf' }]),
    );
    const doc = await settled(results[0].document.id);
    expect(doc.status).toBe('ready');
    const chunks = (await bodyOf(await api(`/documents/${doc.id}/chunks`))).items;
    expect(chunks.some((c: JsonBody) => c.pageStart === 2 && c.content.includes('password manager'))).toBe(
      true,
    );
  });

  it('ends each bad file in `failed` with a reason a person understands, and keeps the good ones', async () => {
    const res = await upload([
      { name: 'empty.txt', body: '' },
      {
        name: 'notes.pdf',
        body: '<html><body><p>This is really an HTML page saved as .pdf</p></body></html>',
      },
      { name: 'binary.docx', body: Buffer.from([0, 1, 2, 3, 255, 254, 0, 9, 8, 7]) },
      { name: 'ok.txt', body: 'The office opens at 8 am on weekdays.' },
    ]);
    expect(res.status).toBe(202);
    const { results } = await bodyOf(res);
    const byName = Object.fromEntries(
      await Promise.all(results.map(async (r: JsonBody) => [r.fileName, await settled(r.document.id)])),
    );
    expect(byName['empty.txt']).toMatchObject({
      status: 'failed',
      errorReason: expect.stringMatching(/empty|no text/i),
    });
    // Detected by content, not extension: the "PDF" is HTML and is ingested as HTML.
    expect(byName['notes.pdf'].status).toBe('ready');
    expect(byName['binary.docx']).toMatchObject({ status: 'failed', errorReason: expect.any(String) });
    expect(byName['ok.txt'].status).toBe('ready');
    expect(byName['binary.docx'].chunkCount).toBe(0);
  });

  it("never shows tenant A's documents to tenant B: lists, reads and deletes by id all say 404", async () => {
    const listA = await bodyOf(await api('/documents'));
    const idA = listA.items[0].id;
    expect((await bodyOf(await api('/documents', { key: keyB }))).items).toEqual([]);
    expect((await api(`/documents/${idA}`, { key: keyB })).status).toBe(404);
    expect((await api(`/documents/${idA}/chunks`, { key: keyB })).status).toBe(404);
    expect((await api(`/documents/${idA}`, { key: keyB, method: 'DELETE' })).status).toBe(404);
    expect((await api(`/documents/${idA}`)).status).toBe(200);
  });

  it('refuses missing, malformed and revoked credentials with 401', async () => {
    const none = await fetch(`${app.url}/api/documents`);
    expect(none.status).toBe(401);
    expect((await bodyOf(none)).error.message).toMatch(/API key/);
    expect((await api('/documents', { key: 'lore_not-a-real-key' })).status).toBe(401);
    const { key, info } = await createApiKey(app.container.db, tenantA, { name: 'temp', actor: 'test' });
    expect((await api('/documents', { key })).status).toBe(200);
    await revokeApiKey(app.container.db, tenantA, { id: info.id, actor: 'test' });
    expect((await api('/documents', { key })).status).toBe(401);
  });

  it('answers bad requests with clear errors and stores nothing', async () => {
    const notMultipart = await api('/documents', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(notMultipart.status).toBe(415);
    const noFile = new FormData();
    noFile.append('title', 'x');
    const empty = await api('/documents', { method: 'POST', body: noFile });
    expect(empty.status).toBe(400);
    expect((await bodyOf(empty)).error.message).toMatch(/No file/);
    const badQuery = await api('/documents?pageSize=5000&sort=sideways');
    expect(badQuery.status).toBe(400);
    expect((await bodyOf(badQuery)).error.details.map((d: JsonBody) => d.field).sort()).toEqual([
      'pageSize',
      'sort',
    ]);
    expect((await api('/documents/not-a-uuid')).status).toBe(404);
  });

  it('refuses a file over the plan limit while it streams, and names the limit', async () => {
    // The free plan allows 10 MB per file; the demo workspace is on the team plan (50 MB).
    const free = await createTenant(app.container.db, { slackTeamId: 'TFREE001', name: 'Free Co' });
    const { key } = await createApiKey(app.container.db, free.id, { name: 'k', actor: 'test' });
    const res = await upload([{ name: 'huge.txt', body: Buffer.alloc(10 * 1024 * 1024 + 10, 'a') }], key);
    expect(res.status).toBe(413);
    expect((await bodyOf(res)).error).toMatchObject({
      code: 'file_too_large',
      message: expect.stringContaining('10.0 MB'),
    });
    expect((await bodyOf(await api('/documents', { key }))).total).toBe(0);

    // Megabytes over, and a client that would go on sending 40 MB more: the 413 comes while it is still
    // sending, and the server closes the connection instead of reading the rest (it used to hang for 5 min).
    const { connect } = await import('node:net');
    const boundary = 'lore-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    const started = Date.now();
    const answer = await new Promise<{ text: string; closed: boolean }>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(app.url).port) }, () => {
        socket.write(
          [
            'POST /api/documents HTTP/1.1',
            'Host: 127.0.0.1',
            `Authorization: Bearer ${key}`,
            `Content-Type: multipart/form-data; boundary=${boundary}`,
            `Content-Length: ${50 * 1024 * 1024}`,
            '',
            head,
          ].join('\r\n'),
        );
        // 12 MB of the promised 50, then nothing: a client that is slow, or never finishes.
        const mb = Buffer.alloc(1024 * 1024, 'a');
        for (let i = 0; i < 12; i++) socket.write(mb);
      });
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString('utf8');
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve({ text, closed: true }));
      setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer and no close after 10 s; got: ${text.slice(0, 200)}`));
      }, 10_000);
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 413/);
    expect(answer.text).toContain('"code":"file_too_large"');
    expect((await bodyOf(await api('/documents', { key }))).total).toBe(0);
  });

  it('uploads into a chosen collection; a malformed, foreign or deleted collection is refused per file and nothing is stored', async () => {
    const collectionOf = async (tenantId: string, name: string) => {
      const { rows } = await app.container.db.pool.query(
        'INSERT INTO lore.collections (tenant_id, name) VALUES ($1, $2) RETURNING id',
        [tenantId, name],
      );
      return String(rows[0].id);
    };
    const hr = await collectionOf(tenantA, 'HR');
    const foreign = await collectionOf(
      String(
        (await app.container.db.pool.query(`SELECT id FROM lore.tenants WHERE slack_team_id = 'TOTHER01'`))
          .rows[0].id,
      ),
      'Theirs',
    );
    const into = (collectionId: string, name: string) => {
      const form = new FormData();
      form.append('collectionId', collectionId);
      form.append('file', new Blob([`# ${name}\n\nOnly for HR: the salary bands.`]), `${name}.md`);
      return api('/documents', { method: 'POST', body: form });
    };

    const ok = await into(hr, 'salary-bands');
    expect(ok.status).toBe(202);
    expect((await bodyOf(ok)).results[0].document.collectionId).toBe(hr);

    const gone = await collectionOf(tenantA, 'Gone');
    await app.container.db.pool.query('DELETE FROM lore.collections WHERE id = $1', [gone]);
    for (const [collectionId, status, message] of [
      ['not-an-id', 'bad_request', 'collectionId must be the id of one of your collections'],
      [foreign, 'not_found', 'That collection no longer exists: choose another one.'],
      [gone, 'not_found', 'That collection no longer exists: choose another one.'],
    ] as const) {
      const res = await into(collectionId, `refused-${status}-${collectionId.slice(0, 4)}`);
      expect(res.status, collectionId).toBe(422);
      const [result] = (await bodyOf(res)).results;
      expect(result.error.code).toBe(status);
      expect(result.error.message).toContain(message);
    }
    const stored = await app.container.db.pool.query(
      `SELECT 1 FROM lore.documents WHERE source_name LIKE 'refused-%'`,
    );
    expect(stored.rows).toEqual([]);
  });

  it('deletes a document with its chunks and original', async () => {
    const { results } = await bodyOf(
      await upload([{ name: 'delete-me.txt', body: 'Temporary notes about the picnic.' }]),
    );
    const doc = await settled(results[0].document.id);
    const versionKey = `${tenantA}/${doc.id}/1`;
    await expect(app.container.blobs.get(versionKey)).resolves.toBeInstanceOf(Buffer);
    expect((await api(`/documents/${doc.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/documents/${doc.id}`)).status).toBe(404);
    await expect(app.container.blobs.get(versionKey)).rejects.toThrow(/not found/);
    const left = await app.container.db.pool.query(
      'SELECT count(*)::int AS n FROM lore.chunks WHERE document_id = $1',
      [doc.id],
    );
    expect(left.rows[0].n).toBe(0);
  });

  it('lists with search, sort and paging', async () => {
    const page1 = await bodyOf(await api('/documents?sort=title&order=asc&pageSize=2&page=1'));
    const page2 = await bodyOf(await api('/documents?sort=title&order=asc&pageSize=2&page=2'));
    expect(page1.items).toHaveLength(2);
    expect(page1.total).toBeGreaterThanOrEqual(4);
    const titles = [...page1.items, ...page2.items].map((d: JsonBody) => d.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());
    const found = await bodyOf(await api('/documents?search=security'));
    expect(found.items.map((d: JsonBody) => d.sourceName)).toEqual(['security.pdf']);
  });
});
