import type { JobOptions } from './job-queue.js';

/** A stream entry as Redis answers it: its id and its field-value list. */
export type IntakeEntry = [id: string, fields: string[] | null];

/** A submitted job as it is stored: its name, payload and options, each a field of the entry. */
export function entryFields(name: string, payload: unknown, opts: JobOptions): string[] {
  return ['n', name, 'p', JSON.stringify(payload ?? {}), 'o', JSON.stringify(opts)];
}

/** The job an entry holds, or null for one that is not a submitted job (written by something else). */
export function parseEntry(
  fields: string[] | null,
): { name: string; payload: unknown; opts: JobOptions } | null {
  // A pending entry deleted from the stream is read back with no fields.
  if (!Array.isArray(fields)) return null;
  const get = (f: string) => {
    const i = fields.indexOf(f);
    return i >= 0 && i % 2 === 0 ? fields[i + 1] : undefined;
  };
  const [name, payload, opts] = [get('n'), get('p'), get('o')];
  if (!name || payload === undefined || opts === undefined) return null;
  try {
    return { name, payload: JSON.parse(payload), opts: JSON.parse(opts) as JobOptions };
  } catch {
    return null;
  }
}
