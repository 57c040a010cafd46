import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerJob } from '../../src/ai/answer.job.js';
import type { AnswerReplier } from '../../src/ai/answer-replier.js';
import { EMBEDDING_DIMENSIONS, type LlmClient } from '../../src/ai/llm-client.js';
import { createLlmForTenant, type LlmFor } from '../../src/ai/llm-for-tenant.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRetriever } from '../../src/knowledge/retrieval/retriever.js';
import { createLogger } from '../../src/logger.js';
import { setTenantOpenAiKey } from '../../src/tenants/settings/settings.service.js';
import { createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

const cipher = createCipherBox([{ id: 'k1', key: Buffer.alloc(32, 1) }]);
const logger = createLogger({ level: 'silent' });

/** A stand-in for OpenAI that notes which key made each call. */
function keyedClient(apiKey: string, calls: string[]): LlmClient {
  return {
    embed: async (texts) => {
      calls.push(`${apiKey} embed ${texts.join('|')}`);
      return {
        vectors: texts.map(() => Array(EMBEDDING_DIMENSIONS).fill(0.01)),
        promptTokens: 5,
        model: 'e',
      };
    },
    streamChat: async () => {
      calls.push(`${apiKey} chat`);
      return { text: 'NO_ANSWER', promptTokens: 1, completionTokens: 1, model: 'gpt-4o-mini' };
    },
  };
}

const silentReplier: AnswerReplier = {
  threadHistory: async () => [],
  notice: async () => {},
  thinking: async () => {},
  begin: async (t) => ({
    channelId: t.channelId,
    ts: '1700000000.000100',
    append: async () => {},
    finish: async () => {},
    abort: async () => {},
  }),
};

describe("one answer with a workspace's own OpenAI key (real database)", () => {
  let db: Database;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    tenantId = (await createTenant(db, { slackTeamId: 'TKEYONCE1', name: 'Own key' })).id;
    await setTenantOpenAiKey(db, cipher, tenantId, 'sk-own-once', 'test');
  });
  afterAll(() => db.close());

  it('embeds the search with that key, looked up once (with the tenant facts) and never again by retrieval', async () => {
    const calls: string[] = [];
    const lookups: Array<'with the tenant facts' | 'read again'> = [];
    const resolve = createLlmForTenant({
      db,
      cipher,
      platform: keyedClient('sk-platform', calls),
      logger,
      createClient: (apiKey) => keyedClient(apiKey, calls),
    });
    const llmFor: LlmFor = (id, known) => {
      lookups.push(known ? 'with the tenant facts' : 'read again');
      return resolve(id, known);
    };
    const run = answerJob.bind({
      db,
      kv: createMemoryStore(),
      logger,
      replier: silentReplier,
      chatModel: 'gpt-4o-mini',
      publicUrl: 'https://lore.example.com',
      llmFor,
      retrieve: createRetriever({
        db,
        logger,
        embeddingModel: 'text-embedding-3-small',
        embedderFor: llmFor,
      }),
    });
    await run(
      {
        v: 1,
        tenantId,
        eventId: 'EvKEYONCE1',
        surface: 'dm',
        channelId: 'D0001',
        userId: 'U0001',
        question: 'How do I book a flight?',
        receivedAt: Date.now(),
      },
      { jobId: 'answer-EvKEYONCE1', attempt: 1, name: 'answer' },
    );
    expect(lookups).toEqual(['with the tenant facts']);
    expect(calls[0]).toBe('sk-own-once embed How do I book a flight?');
    expect(calls.some((c) => c.startsWith('sk-platform'))).toBe(false);
  });
});
