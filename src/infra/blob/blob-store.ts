import type { Readable } from 'node:stream';

/**
 * Where uploaded originals live: Supabase Storage in production, a folder under DATA_DIR otherwise.
 * Keys are `<tenant_id>/<document_id>/<version>`.
 */
export interface BlobStore {
  readonly kind: 'local' | 'supabase';
  /** Stores a blob, replacing any blob with the same key. */
  put(key: string, body: Readable, opts: { contentType: string; byteSize: number }): Promise<void>;
  /** Reads a whole blob; throws AppError `not_found` when there is none. */
  get(key: string): Promise<Buffer>;
  /** Removes every blob whose key starts with `prefix` (a document's versions, or a whole tenant). */
  deletePrefix(prefix: string): Promise<void>;
}

const KEY = /^[0-9a-f-]{36}(\/[0-9a-f-]{36}(\/\d+)?)?\/?$/;

/** Refuses keys that are not the `<uuid>/<uuid>/<n>` shape, so no key can escape its folder. */
export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`Invalid blob key "${key}"`);
}
