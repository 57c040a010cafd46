import { describe, expect, it } from 'vitest';
import { entryFields, parseEntry } from '../../../src/infra/queue/intake-entry.js';

describe('intake entries', () => {
  it('reads back the job a submit stored: name, payload and options', () => {
    const opts = { attempts: 3, dedupe: { id: 'Ev1', forMs: 7_200_000 } };
    expect(parseEntry(entryFields('answer', { q: 'How many days?' }, opts))).toEqual({
      name: 'answer',
      payload: { q: 'How many days?' },
      opts,
    });
  });

  it('calls anything else unreadable rather than failing: a deleted entry, broken JSON, a missing field', () => {
    expect(parseEntry(null)).toBeNull();
    expect(parseEntry(['n', 'answer', 'p', '{not json', 'o', '{}'])).toBeNull();
    expect(parseEntry(['n', 'answer', 'p', '{}'])).toBeNull();
    // A field name in a value's place is not taken for the field.
    expect(parseEntry(['x', 'n', 'p', '{}', 'o', '{}'])).toBeNull();
  });
});
