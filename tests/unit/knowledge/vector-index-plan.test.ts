import { describe, expect, it } from 'vitest';
import { planVectorIndexes } from '../../../src/knowledge/retrieval/tenant-vector-indexes.service.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const ix = (tenantId: string, valid = true) => ({
  tenantId,
  name: `chunks_embedding_hnsw_t_${tenantId.replaceAll('-', '')}`,
  valid,
  bytes: 1,
});

describe('which tenant indexes to build and drop', () => {
  it('builds for each tenant at or past the size that has none, largest first', () => {
    const sizes = new Map([
      [A, 100_000],
      [B, 250_000],
      [C, 99_999],
    ]);
    expect(planVectorIndexes(sizes, [], 100_000)).toEqual([
      { kind: 'build', tenantId: B, chunks: 250_000 },
      { kind: 'build', tenantId: A, chunks: 100_000 },
    ]);
  });

  it('keeps an index while its tenant stays above half the size, so a tenant at the line is not rebuilt in turn', () => {
    const sizes = new Map([[A, 50_000]]);
    expect(planVectorIndexes(sizes, [ix(A)], 100_000)).toEqual([]);
    expect(planVectorIndexes(new Map([[A, 49_999]]), [ix(A)], 100_000)).toEqual([
      { kind: 'drop', tenantId: A, name: ix(A).name, reason: 'small' },
    ]);
  });

  it('drops the index of a tenant with no searchable chunks left (purged or emptied)', () => {
    expect(planVectorIndexes(new Map(), [ix(C)], 100_000)).toEqual([
      { kind: 'drop', tenantId: C, name: ix(C).name, reason: 'small' },
    ]);
  });

  it('drops an invalid index (a failed build) and builds it again when the tenant is still due, drops first', () => {
    const sizes = new Map([
      [A, 150_000],
      [B, 20_000],
    ]);
    expect(planVectorIndexes(sizes, [ix(A, false), ix(B, false)], 100_000)).toEqual([
      { kind: 'drop', tenantId: A, name: ix(A).name, reason: 'invalid' },
      { kind: 'drop', tenantId: B, name: ix(B).name, reason: 'invalid' },
      { kind: 'build', tenantId: A, chunks: 150_000 },
    ]);
  });
});
