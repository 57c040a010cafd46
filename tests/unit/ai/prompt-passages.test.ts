import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../../src/ai/answer.service.js';
import type { RetrievedPassage } from '../../../src/ai/answer.types.js';
import type { ChatMessage, LlmClient } from '../../../src/ai/llm-client.js';
import { passagesForPrompt } from '../../../src/ai/prompt-passages.js';
import { countTokens } from '../../../src/knowledge/ingestion/tokens.js';

const passage = (n: number, content: string): RetrievedPassage => ({
  chunkId: String(n),
  documentId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  title: `Doc ${n}`,
  section: '',
  pageStart: null,
  ordinal: 0,
  content,
  score: 1 / n,
  termCoverage: 0.5,
  similarity: null,
});
const sentence = (n: number) => `Policy ${n} says the allowance is ${n} days a year.`;
const longText = (n: number, sentences: number) =>
  Array.from({ length: sentences }, () => sentence(n)).join(' ');

describe('passagesForPrompt', () => {
  it('keeps the best passages first, at most the count asked for', () => {
    const passages = Array.from({ length: 12 }, (_, i) => passage(i + 1, sentence(i + 1)));
    const kept = passagesForPrompt(passages, 8, 3_000);
    expect(kept.map((p) => p.chunkId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('stops adding text at the token budget, skipping a long passage for a shorter one after it', () => {
    const passages = [passage(1, longText(1, 10)), passage(2, longText(2, 40)), passage(3, sentence(3))];
    const budget = countTokens(passages[0]?.content ?? '') + 50;
    const kept = passagesForPrompt(passages, 8, budget);
    expect(kept.map((p) => p.chunkId)).toEqual(['1', '3']);
    expect(kept.reduce((n, p) => n + countTokens(p.content), 0)).toBeLessThanOrEqual(budget);
  });

  it('always gives the model the best passage, even one longer than the budget', () => {
    const kept = passagesForPrompt([passage(1, longText(1, 40)), passage(2, sentence(2))], 8, 20);
    expect(kept.map((p) => p.chunkId)).toEqual(['1']);
  });
});

describe('the answer prompt', () => {
  it('numbers up to eight retrieved passages as sources for the model', async () => {
    const sent: ChatMessage[][] = [];
    const model: LlmClient = {
      embed: async () => ({ vectors: [], promptTokens: 0, model: 'x' }),
      async streamChat(messages, opts) {
        sent.push(messages);
        return { text: 'Ten days [1].', promptTokens: 1, completionTokens: 1, model: opts.model };
      },
    };
    const passages = Array.from({ length: 10 }, (_, i) => passage(i + 1, sentence(i + 1)));
    await answerQuestion(
      {
        retrieve: async () => ({ passages, confident: true, relevant: true }),
        llmFor: async () => ({ llm: model, keySource: 'platform' as const }),
        chatModel: 'gpt-4o-mini',
        publicUrl: 'https://lore.example.com',
      },
      {
        tenantId: 't',
        question: 'How many days is the allowance?',
        thread: [],
        style: 'concise',
        instructions: '',
        scope: { collectionIds: null },
      },
    );
    const system = sent[0]?.[0]?.content ?? '';
    expect(system).toContain(`[8] Doc 8\n${sentence(8)}`);
    expect(system).not.toContain('[9]');
    expect(system).not.toContain(sentence(9));
  });
});
