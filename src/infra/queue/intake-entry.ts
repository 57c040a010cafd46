import type { JobOptions } from './job-queue.js';

/** A stream entry as Redis answers it: its id and its field-value list. */
export type IntakeEntry = [id: string, fields: string[] | null];

/** A submitted job as it is stored: its name, payload and options, each a field of the entry. */
export function entryFields(name: string, payload: unknown, opts: JobOptions): string[] {
  return ['n', name, 'p', JSON.stringify(payload ?? {}), 'o', JSON.stringify(opts)];
}

/** The workspace an entry was counted against when submitted ('' for none, or an entry from before counting). */
export function entryTenant(fields: string[] | null): string {
  return (Array.isArray(fields) && fieldOf(fields, 't')) || '';
}

function fieldOf(fields: string[], field: string): string | undefined {
  const i = fields.indexOf(field);
  return i >= 0 && i % 2 === 0 ? fields[i + 1] : undefined;
}

/** The job an entry holds, or null for one that is not a submitted job (written by something else). */
export function parseEntry(
  fields: string[] | null,
): { name: string; payload: unknown; opts: JobOptions } | null {
  // A pending entry deleted from the stream is read back with no fields.
  if (!Array.isArray(fields)) return null;
  const [name, payload, opts] = [fieldOf(fields, 'n'), fieldOf(fields, 'p'), fieldOf(fields, 'o')];
  if (!name || payload === undefined || opts === undefined) return null;
  try {
    return { name, payload: JSON.parse(payload), opts: JSON.parse(opts) as JobOptions };
  } catch {
    return null;
  }
}
