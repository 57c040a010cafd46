import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AnswerPayload, answerJob } from '../../src/ai/answer.job.js';
import type { AnswerResult, ThreadMessage } from '../../src/ai/answer.types.js';
import type { AnswerReplier, ReplyTarget } from '../../src/ai/answer-replier.js';
import { APOLOGY } from '../../src/ai/answer-run.js';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import { createLocalBlobStore } from '../../src/infra/blob/local-blob-store.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { addDocument } from '../../src/knowledge/document-intake.service.js';
import { ingestJob } from '../../src/knowledge/ingest.job.js';
import { createRetriever } from '../../src/knowledge/retrieval/retriever.js';
import { createLogger } from '../../src/logger.js';
import { createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

const OPENAI = 'https://openai.test';
const logger = createLogger({ level: 'silent' });

/** A replier that records what the answer job would have sent to Slack. */
function recordingReplier(thread: ThreadMessage[] = [{ role: 'user', text: 'Tell me about travel.' }]) {
  const log: {
    notices: string[];
    streamed: string[];
    finished: { answerId: string; result: AnswerResult }[];
    aborted: string[];
    begun: number;
    resumed: number;
  } = {
    notices: [],
    streamed: [],
    finished: [],
    aborted: [],
    begun: 0,
    resumed: 0,
  };
  const replier: AnswerReplier = {
    threadHistory: async () => thread,
    notice: async (_t: ReplyTarget, text: string) => {
      log.notices.push(text);
    },
    thinking: async () => {},
    begin: async (t, posted) => {
      if (posted) log.resumed++;
      else log.begun++;
      return {
        channelId: t.channelId,
        ts: posted?.ts ?? `1700000000.00000${log.begun}`,
        append: async (text) => {
          log.streamed.push(text);
        },
        finish: async (answerId, result) => {
          log.finished.push({ answerId, result });
        },
        abort: async (text) => {
          log.aborted.push(text);
        },
      };
    },
  };
  return { replier, log };
}

function sse(text: string): string {
  return ssePieces(text.split(/(?<= )/));
}

/** An OpenAI chat stream that sends exactly these pieces of text, then usage. */
function ssePieces(pieces: string[]): string {
  const chunk = (content: string) =>
    `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const usage = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 300, completion_tokens: 20, total_tokens: 320 } })}\n\n`;
  return `${pieces.map(chunk).join('')}${usage}data: [DONE]\n\n`;
}

describe('the answer job (real database and retrieval; OpenAI faked over HTTP)', () => {
  let db: Database;
  let dir: string;
  let tenantA: string;
  let tenantB: string;
  const kv = createMemoryStore();
  const llm = createOpenAiClient({ apiKey: 'sk-test', baseUrl: `${OPENAI}/v1`, maxRetries: 0 });

  const job = (replier: AnswerReplier, withModel = true) =>
    answerJob.bind({
      db,
      kv,
      replier,
      logger,
      chatModel: 'gpt-4o-mini',
      publicUrl: 'https://lore.example.com',
      llmFor: async () => (withModel ? { llm, keySource: 'platform' } : null),
      retrieve: createRetriever({
        db,
        logger,
        embeddingModel: 'text-embedding-3-small',
        embedderFor: async () => null,
      }),
    });
  const payload = (over: Partial<AnswerPayload> = {}): AnswerPayload => ({
    v: 1,
    tenantId: tenantA,
    eventId: `Ev${Math.random().toString(36).slice(2)}`,
    surface: 'mention',
    channelId: 'C0123',
    messageTs: '1700000000.000100',
    userId: 'U0001',
    question: 'How many days ahead must flights be booked?',
    receivedAt: Date.now(),
    ...over,
  });
  const rows = (tenantId: string, sql: string, params: unknown[] = []) =>
    withTenant(db, tenantId, async (c) => (await c.query(sql, params)).rows);

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'lore-answer-'));
    const blobs = createLocalBlobStore(dir);
    const queue = createMemoryQueue({ logger });
    const ingest = ingestJob.bind({
      db,
      blobs,
      logger,
      embeddingModel: 'text-embedding-3-small',
      embedderFor: async () => null,
    });
    const make = (slackTeamId: string, name: string) => createTenant(db, { slackTeamId, name });
    tenantA = (await make('TAAAA', 'A')).id;
    tenantB = (await make('TBBBB', 'B')).id;
    const docs: [string, string, string][] = [
      [
        tenantA,
        'travel.md',
        '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead through the travel desk.',
      ],
      [
        tenantB,
        'travel.md',
        '# Travel rules\n\n## Booking flights\n\nFlights must be booked at least 3 days ahead by your manager.',
      ],
    ];
    for (const [tenantId, name, text] of docs) {
      const r = await addDocument({ db, blobs, queue }, tenantId, {
        fileName: name,
        body: Readable.from([Buffer.from(text)]),
        source: 'cli',
        actor: 't',
      });
      await ingest(
        { v: 1, tenantId, documentId: r.document.id, versionId: r.versionId ?? '' },
        { jobId: 'x', attempt: 1, name: 'ingest' },
      );
    }
    await queue.close();
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => nock.cleanAll());

  it("answers from the asking tenant's documents only, streams, cites, and records answer and usage", async () => {
    let prompt = '';
    nock(OPENAI)
      .post('/v1/chat/completions', (b: { messages: { content: string }[] }) => {
        prompt = b.messages[0]?.content ?? '';
        return true;
      })
      .reply(200, sse('Book flights at least 14 days ahead through the travel desk [1].'), {
        'content-type': 'text/event-stream',
      });
    const { replier, log } = recordingReplier();
    const p = payload();
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(prompt).toContain('14 days ahead');
    expect(prompt).not.toContain('3 days ahead');
    expect(log.streamed.join('')).toBe('Book flights at least 14 days ahead through the travel desk [1].');
    expect(log.finished[0]?.result.sources.map((s) => s.title)).toEqual(['Travel policy']);
    const [answer] = await rows(
      tenantA,
      'SELECT outcome, prompt_tokens, completion_tokens, posted_ts, model FROM lore.answers WHERE idempotency_key = $1',
      [p.eventId],
    );
    expect(answer).toEqual({
      outcome: 'answered',
      prompt_tokens: 300,
      completion_tokens: 20,
      posted_ts: '1700000000.000001',
      model: 'gpt-4o-mini',
    });
    const usage = await rows(
      tenantA,
      `SELECT kind, prompt_tokens, completion_tokens, cost_usd::float8 AS cost FROM lore.usage_events WHERE idempotency_key = $1`,
      [`answer-${p.eventId}`],
    );
    expect(usage).toEqual([
      { kind: 'answer', prompt_tokens: 300, completion_tokens: 20, cost: expect.closeTo(0.000057, 6) },
    ]);
    expect(await rows(tenantA, 'SELECT count(*)::int AS n FROM lore.answer_citations')).toEqual([{ n: 1 }]);
  });

  it('records usage exactly once and posts nothing new when the same event is processed again', async () => {
    nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(200, sse('Fourteen days [1].'), { 'content-type': 'text/event-stream' });
    const { replier, log } = recordingReplier();
    const p = payload();
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(log.begun).toBe(1);
    expect(
      await rows(tenantA, 'SELECT count(*)::int AS n FROM lore.usage_events WHERE idempotency_key = $1', [
        `answer-${p.eventId}`,
      ]),
    ).toEqual([{ n: 1 }]);
  });

  it('a retry after a crash mid-answer edits the message it already posted', async () => {
    // The first stream sends a few words, then the connection dies: the reply is already posted.
    nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(
        200,
        () => {
          const firstWords = sse('Fourteen ').split(
            'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],',
          )[0];
          // The connection dies once the first words have been read (not after a fixed delay, which a
          // busy machine could outrun before the reader took them).
          let sent = false;
          return new Readable({
            read() {
              if (sent) this.destroy(new Error('socket hang up'));
              else this.push(firstWords);
              sent = true;
            },
          });
        },
        { 'content-type': 'text/event-stream' },
      );
    nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(200, sse('Fourteen days [1].'), { 'content-type': 'text/event-stream' });
    const { replier, log } = recordingReplier();
    const p = payload();
    await expect(job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' })).rejects.toThrow();
    expect(log.begun).toBe(1);
    await job(replier)(p, { jobId: 'j', attempt: 2, name: 'answer' });
    expect(log.resumed).toBe(1);
    expect(log.begun).toBe(1);
    expect(log.finished).toHaveLength(1);
  });

  it('says it does not know, with no model call, when nothing relevant exists, and logs a knowledge gap', async () => {
    const { replier, log } = recordingReplier();
    const p = payload({ question: 'What is the recipe for the cafeteria lasagne?' });
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(log.finished[0]?.result.outcome).toBe('no_sources');
    expect(log.finished[0]?.result.text).toMatch(/couldn't find this/);
    const gaps = await rows(tenantA, `SELECT question, reason, status FROM lore.knowledge_gaps`);
    expect(gaps).toContainEqual({ question: p.question, reason: 'no_sources', status: 'open' });
  });

  it('when the model says the sources do not answer, replies "I don\'t know", logs a gap, streams and cites nothing', async () => {
    let asked = false;
    nock(OPENAI)
      .post('/v1/chat/completions', () => {
        asked = true;
        return true;
      })
      .reply(200, ssePieces(['NO_', 'ANS', 'WER', '.']), { 'content-type': 'text/event-stream' });
    const { replier, log } = recordingReplier();
    const p = payload({
      question: 'Can I book flights for my partner on the company card?',
      userId: 'U-abstain',
    });
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(asked).toBe(true);
    expect(log.streamed.join('')).toBe('');
    expect(log.finished[0]?.result).toMatchObject({ outcome: 'no_sources', sources: [] });
    expect(log.finished[0]?.result.text).toMatch(/couldn't find this/);
    expect(
      await rows(tenantA, 'SELECT reason FROM lore.knowledge_gaps WHERE question = $1', [p.question]),
    ).toEqual([{ reason: 'no_sources' }]);
    expect(
      await rows(tenantA, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [p.eventId]),
    ).toEqual([{ outcome: 'no_sources' }]);
  });

  it('passes a loosely worded question to the model, which answers it with a citation', async () => {
    // Shares only "flights" with the document: retrieval alone would not be confident; the model judges.
    let prompt = '';
    nock(OPENAI)
      .post('/v1/chat/completions', (b: { messages: { content: string }[] }) => {
        prompt = b.messages[0]?.content ?? '';
        return true;
      })
      .reply(200, sse('Two weeks ahead, through the travel desk [1].'), {
        'content-type': 'text/event-stream',
      });
    const { replier, log } = recordingReplier();
    await job(replier)(
      payload({ question: 'hey how early should I sort out flights pls', userId: 'U-loose' }),
      {
        jobId: 'j',
        attempt: 1,
        name: 'answer',
      },
    );
    expect(prompt).toContain('14 days ahead');
    expect(log.streamed.join('')).toBe('Two weeks ahead, through the travel desk [1].');
    expect(log.finished[0]?.result.outcome).toBe('answered');
    expect(log.finished[0]?.result.sources.map((s) => s.title)).toEqual(['Travel policy']);
  });

  it('rewrites a thread follow-up into a standalone question with the model, and searches with it', async () => {
    const asked: string[] = [];
    nock(OPENAI)
      .post('/v1/chat/completions', (b: { messages: { content: string }[] }) => {
        asked.push(b.messages[0]?.content ?? '');
        return /standalone question/.test(b.messages[0]?.content ?? '');
      })
      .reply(200, sse('How far ahead must flights for the Lisbon trip be booked?'), {
        'content-type': 'text/event-stream',
      });
    let prompt = '';
    nock(OPENAI)
      .post('/v1/chat/completions', (b: { messages: { content: string }[] }) => {
        prompt = b.messages[0]?.content ?? '';
        return /numbered sources/.test(prompt);
      })
      .reply(200, sse('At least 14 days ahead [1].'), { 'content-type': 'text/event-stream' });
    // Searched as typed (or with the message before it), nothing in the documents matches this follow-up.
    const { replier, log } = recordingReplier([
      { role: 'user', text: 'Who approves my expenses?' },
      { role: 'assistant', text: 'Your manager does.' },
      { role: 'user', text: 'ok. And for the trip to Lisbon next month?' },
    ]);
    await job(replier)(
      payload({ question: 'how early?', threadTs: '1700000000.000001', userId: 'U-thread' }),
      { jobId: 'j', attempt: 1, name: 'answer' },
    );
    expect(asked[0]).toMatch(/standalone question/);
    expect(prompt).toContain('14 days ahead');
    const result = log.finished[0]?.result;
    expect(result?.outcome).toBe('answered');
    expect(result?.trace).toMatchObject({
      rewritten: true,
      searchQuery: 'How far ahead must flights for the Lisbon trip be booked?',
    });
  });

  it('counts an event against the rate limit once, however often its first attempt runs again', async () => {
    // A first attempt runs again without spending an attempt when its worker died (a stalled job) or the
    // database was away (a deferred job). Each time the model's stream dies after the first words.
    const dying = () =>
      nock(OPENAI)
        .post('/v1/chat/completions')
        .reply(
          200,
          () => {
            let sent = false;
            return new Readable({
              read() {
                if (sent) this.destroy(new Error('socket hang up'));
                else
                  this.push(
                    sse('Fourteen ').split(
                      'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],',
                    )[0],
                  );
                sent = true;
              },
            });
          },
          { 'content-type': 'text/event-stream' },
        );
    const { replier, log } = recordingReplier();
    // The free plan allows 5 questions per user per minute: six runs of one question are still one question.
    const p = payload({ userId: `U-rerun-${Date.now()}` });
    for (let i = 0; i < 5; i++) {
      dying();
      await expect(job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' })).rejects.toThrow();
    }
    nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(200, sse('Fourteen days [1].'), { 'content-type': 'text/event-stream' });
    await job(replier)(p, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(log.notices).toEqual([]);
    expect(log.finished).toHaveLength(1);
    expect(
      await rows(tenantA, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [p.eventId]),
    ).toEqual([{ outcome: 'answered' }]);
  });

  it('gives a clear message with the reset time, and makes no model call, when a user is rate limited', async () => {
    const { replier, log } = recordingReplier();
    const user = `U-rl-${Date.now()}`;
    // The free plan allows 5 questions per user per minute; the first five go through (no model: extractive).
    for (let i = 0; i < 5; i++)
      await job(replier, false)(payload({ userId: user }), { jobId: 'j', attempt: 1, name: 'answer' });
    expect(log.notices).toEqual([]);
    const blocked = payload({ userId: user });
    await job(replier, false)(blocked, { jobId: 'j', attempt: 1, name: 'answer' });
    expect(log.notices).toHaveLength(1);
    expect(log.notices[0]).toMatch(
      /You're asking faster than this workspace allows\. Try again <!date\^\d+\^/,
    );
    expect(
      await rows(tenantA, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [blocked.eventId]),
    ).toEqual([{ outcome: 'rate_limited' }]);
  });

  it('stops platform-key answers at the monthly quota with a message saying when it resets', async () => {
    await withTenant(db, tenantB, (c) =>
      c.query(
        `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, model, key_source, prompt_tokens, completion_tokens)
         VALUES ($1, 'answer', 'seed-quota', 'gpt-4o-mini', 'platform', 500000, 0)`,
        [tenantB],
      ),
    );
    const scope = nock(OPENAI).post('/v1/chat/completions').reply(200, sse('should not happen'));
    const { replier, log } = recordingReplier();
    await job(replier)(payload({ tenantId: tenantB, userId: 'U-quota' }), {
      jobId: 'j',
      attempt: 1,
      name: 'answer',
    });
    expect(log.notices[0]).toMatch(/used its Lore allowance for this month\. It resets <!date\^/);
    expect(scope.isDone()).toBe(false);
  });

  it('after the last failed attempt, apologises in plain words and marks the job failed', async () => {
    nock(OPENAI)
      .post('/v1/chat/completions')
      .times(3)
      .reply(500, { error: { message: 'boom internal trace id 1234' } });
    const { replier, log } = recordingReplier();
    const p = payload({ userId: 'U-apology' });
    await expect(job(replier)(p, { jobId: 'j', attempt: 3, name: 'answer' })).rejects.toThrow();
    expect([...log.notices, ...log.aborted]).toEqual([APOLOGY]);
    expect(
      await rows(tenantA, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [p.eventId]),
    ).toEqual([{ outcome: 'failed' }]);
  });
});
