import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnswerPayload, answerJob } from '../../src/ai/answer.job.js';
import type { AnswerReplier } from '../../src/ai/answer-replier.js';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { saveChannelScope } from '../../src/knowledge/collections/channel-scopes.repo.js';
import { insertCollection } from '../../src/knowledge/collections/collections.repo.js';
import { moveDocuments } from '../../src/knowledge/documents.repo.js';
import { hybridSearch } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { createRetriever } from '../../src/knowledge/retrieval/retriever.js';
import { createLogger } from '../../src/logger.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding, mockOpenAiEmbeddings } from '../support/fake-embeddings.js';
import { SEARCH_TEST_MODEL, storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

const OPENAI = 'https://openai.test';
const logger = createLogger({ level: 'silent' });
const HR_PHRASE = 'The parental leave top-up code is ZEBRA-7781 and only HR shares it.';

/** An OpenAI chat stream answering `text`, with usage. */
function sse(text: string): string {
  const chunk = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
  const usage = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`;
  return `${chunk}${usage}data: [DONE]\n\n`;
}

/** A replier that only keeps what reached the asker. */
function quietReplier(): AnswerReplier & { notices: string[] } {
  const notices: string[] = [];
  return {
    notices,
    threadHistory: async () => [],
    notice: async (_t, text) => {
      notices.push(text);
    },
    thinking: async () => {},
    begin: async (t) => ({
      channelId: t.channelId,
      ts: '1700000000.000001',
      append: async () => {},
      finish: async () => {},
      abort: async () => {},
    }),
  };
}

describe('collections and channel scopes (real SQL; OpenAI faked over HTTP)', () => {
  let db: Database;
  let tenant: string;
  let other: string;
  let hr: string;
  const kv = createMemoryStore();
  const llm = createOpenAiClient({ apiKey: 'sk-test', baseUrl: `${OPENAI}/v1`, maxRetries: 0 });
  const job = answerJob.bind({
    get db() {
      return db;
    },
    kv,
    replier: quietReplier(),
    logger,
    chatModel: 'gpt-4o-mini',
    publicUrl: 'https://lore.example.com',
    llmFor: async () => ({ llm, keySource: 'tenant' }),
    // Embedded questions: both the vector and the full-text half of lore.hybrid_search are scoped.
    retrieve: createRetriever({
      get db() {
        return db;
      },
      logger,
      embeddingModel: SEARCH_TEST_MODEL,
      embedderFor: async () => ({ llm }),
    }),
  } as Parameters<typeof answerJob.bind>[0]);

  /** Asks through the real answer job and returns the system prompt the model was sent. */
  async function promptFor(over: Partial<AnswerPayload>): Promise<string> {
    let prompt = '';
    mockOpenAiEmbeddings(`${OPENAI}/v1`);
    nock(OPENAI)
      .post('/v1/chat/completions', (b: { messages: { content: string }[] }) => {
        prompt = b.messages[0]?.content ?? '';
        return true;
      })
      .reply(200, sse('Here is what I found [1].'), { 'content-type': 'text/event-stream' });
    await job(
      {
        v: 1,
        tenantId: tenant,
        eventId: `Ev${Math.random().toString(36).slice(2)}`,
        surface: 'mention',
        channelId: 'C0RANDOM',
        messageTs: '1700000000.000100',
        // A new asker each time: the plan's per-person rate limit is not what is tested here.
        userId: `U${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
        question: 'What is the parental leave top-up code?',
        receivedAt: Date.now(),
        ...over,
      },
      { jobId: 'j', attempt: 1, name: 'answer' },
    );
    nock.cleanAll();
    return prompt;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const make = (team: string) => createTenant(db, { slackTeamId: team, name: team });
    tenant = (await make('TSCOPE1')).id;
    other = (await make('TSCOPE2')).id;
    await withTenant(db, tenant, async (c) => {
      await storeSearchableDocument(c, tenant, 'Parental leave', [
        { content: `Parental leave is 20 weeks. ${HR_PHRASE}`, section: 'Top-up' },
      ]);
      await storeSearchableDocument(c, tenant, 'Office guide', [
        { content: 'Parental leave questions go to your manager first; the office has a quiet room.' },
      ]);
      hr = (await insertCollection(c, tenant, { name: 'HR', description: 'People team only' })) as string;
      const { rows } = await c.query<{ id: string }>(
        "SELECT id FROM lore.documents WHERE title = 'Parental leave'",
      );
      await moveDocuments(
        c,
        rows.map((r) => r.id),
        hr,
      );
      await saveChannelScope(c, tenant, { channelId: 'C0HRTEAM', collectionIds: [hr], instructions: '' });
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives every workspace one default collection, "Everyone", holding documents added without one', async () => {
    const rows = await withTenant(db, other, async (c) => {
      await storeSearchableDocument(c, other, 'Handbook', [{ content: 'Welcome aboard.' }]);
      return (
        await c.query(
          `SELECT c.name, c.is_default, count(d.id)::int AS documents
           FROM lore.collections c LEFT JOIN lore.documents d ON d.collection_id = c.id GROUP BY c.id`,
        )
      ).rows;
    });
    expect(rows).toEqual([{ name: 'Everyone', is_default: true, documents: 1 }]);
  });

  it('never puts an HR-only phrase into the prompt of a question asked in #random, a DM, /ask, the assistant or the API', async () => {
    for (const where of [
      { surface: 'mention', channelId: 'C0RANDOM' },
      { surface: 'thread', channelId: 'C0RANDOM', threadTs: '1700000000.000001' },
      { surface: 'dm', channelId: 'D0DIRECT' },
      { surface: 'ask', channelId: 'C0HRTEAM' },
      { surface: 'assistant', channelId: 'D0ASSIST' },
      // An API key's question (POST /api/ask) has no channel: the workspace default.
      { surface: 'api', channelId: '' },
    ] as const) {
      const prompt = await promptFor(where);
      expect(prompt, `${where.surface} in ${where.channelId}`).toContain('quiet room');
      expect(prompt, `${where.surface} in ${where.channelId}`).not.toContain('ZEBRA-7781');
    }
  });

  it('answers from the HR collection in the channel mapped to it', async () => {
    const prompt = await promptFor({ channelId: 'C0HRTEAM' });
    expect(prompt).toContain('ZEBRA-7781');
    expect(prompt).not.toContain('quiet room');
  });

  it("adds the channel's instructions (tone, audience) to the prompt, after the rules", async () => {
    await withTenant(db, tenant, (c) =>
      saveChannelScope(c, tenant, {
        channelId: 'C0RANDOM',
        collectionIds: [],
        instructions: 'Audience: new joiners. Keep a friendly tone.',
      }),
    );
    const prompt = await promptFor({ channelId: 'C0RANDOM' });
    expect(prompt).toContain('Audience: new joiners. Keep a friendly tone.');
    expect(prompt.indexOf('new joiners')).toBeGreaterThan(prompt.indexOf('NO_ANSWER'));
    expect(prompt).not.toContain('ZEBRA-7781');
    expect(await promptFor({ channelId: 'C0HRTEAM' })).not.toContain('new joiners');
  });

  it('lore.hybrid_search filters both lists by its collection argument in SQL', async () => {
    const query = 'parental leave top-up code';
    const run = (collectionIds: string[] | null) =>
      withTenant(db, tenant, (c) =>
        hybridSearch(c, {
          tenantId: tenant,
          query,
          embedding: fakeEmbedding(query),
          k: 10,
          fullTextWeight: 1,
          semanticWeight: 1,
          rrfK: 60,
          embeddingModel: SEARCH_TEST_MODEL,
          fullTextMode: 'all_then_any',
          collectionIds,
        }),
      );
    const everyone = await withTenant(db, tenant, async (c) => {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.collections WHERE is_default');
      return rows[0]?.id as string;
    });
    const all = await run(null);
    expect(all.map((h) => h.title).sort()).toEqual(['Office guide', 'Parental leave']);
    const scoped = await run([everyone]);
    expect(scoped.map((h) => h.title)).toEqual(['Office guide']);
    expect(scoped[0]?.semanticRank).toBe(1);
    expect(scoped[0]?.fullTextRank).toBe(1);
    expect((await run([hr])).map((h) => h.title)).toEqual(['Parental leave']);
    expect(await run([])).toEqual([]);
    // Another workspace's collection id finds nothing here (and the tenant's own documents stay out).
    const foreign = await withTenant(db, other, async (c) => {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.collections');
      return rows[0]?.id as string;
    });
    expect(await run([foreign])).toEqual([]);
  });

  it("refuses to put a document into another workspace's collection, even by id", async () => {
    const foreign = await withTenant(db, other, async (c) => {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.collections');
      return rows[0]?.id as string;
    });
    await expect(
      withTenant(db, tenant, async (c) => {
        const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.documents LIMIT 1');
        await moveDocuments(c, [rows[0]?.id as string], foreign);
      }),
    ).rejects.toThrow(/documents_collection_fk/);
  });
});
