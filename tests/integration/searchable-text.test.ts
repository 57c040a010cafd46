import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { words } from '../../src/knowledge/retrieval/words.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * Full-text search reads text through lore.searchable_text (migration 20261211000100); the gate, the snippets
 * and the typo check read it through words.ts. Where the two disagreed, a passage full-text search found would
 * be judged by words it does not hold, or the other way round.
 */
describe('lore.searchable_text and words.ts read text alike', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const samples = [
    'ask IT during your first week',
    'HR, IT and Finance',
    'the IT/HR desk',
    "IT's portal and IT-managed laptops",
    'IT IS REQUIRED TO READ IT',
    'ITIL, HR IT, it and It',
    'Services run on Node.js 20; see package.json and CI/CD',
    'write to payroll-team@acme.example',
    'our 401(k) plan, v1.2.3, 24/7 and 3.5 days',
  ];

  it('splits, joins and spells out the same words', async () => {
    for (const text of samples) {
      const { rows } = await db.pool.query<{ out: string }>('SELECT lore.searchable_text($1) AS out', [text]);
      const sql = rows[0]?.out ?? '';
      // The department is spelled out by both or by neither, occurrence by occurrence.
      const spelledOut = (s: string) => s.split('information technology').length - 1;
      expect(spelledOut(sql), text).toBe(spelledOut(words(text).join(' ')));
      expect(words(sql), text).toEqual(words(text));
    }
  });

  it('gives Postgres the parts as words: "Node.js" is node and js, "401(k)" one word, "v1.2.3" whole', async () => {
    const { rows } = await db.pool.query<{ lexemes: string[] }>(
      `SELECT tsvector_to_array(to_tsvector('english', lore.searchable_text($1))) AS lexemes`,
      ['Node.js, 401(k), v1.2.3, IT'],
    );
    expect([...(rows[0]?.lexemes ?? [])].sort()).toEqual([
      '401k',
      'inform',
      'js',
      'node',
      'technolog',
      'v1.2.3',
    ]);
  });
});
