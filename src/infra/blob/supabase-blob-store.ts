import type { Readable } from 'node:stream';
import { createClient } from '@supabase/supabase-js';
import { notFound, unavailable } from '../../errors.js';
import { assertBlobKey, type BlobStore } from './blob-store.js';

const BUCKET = 'documents';

/** Blobs in a private Supabase Storage bucket, uploaded as streams (never buffered whole in memory). */
export function createSupabaseBlobStore(opts: { url: string; serviceRoleKey: string }): BlobStore {
  const storage = createClient(opts.url, opts.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  }).storage;
  let bucketReady: Promise<void> | undefined;
  const ensureBucket = () => {
    bucketReady ??= (async () => {
      const { error } = await storage.getBucket(BUCKET);
      if (!error) return;
      const created = await storage.createBucket(BUCKET, { public: false });
      if (created.error && !/already exists/i.test(created.error.message)) {
        bucketReady = undefined;
        throw unavailable(`Supabase Storage bucket "${BUCKET}" is not available`, created.error);
      }
    })();
    return bucketReady;
  };
  const bucket = () => storage.from(BUCKET);
  return {
    kind: 'supabase',
    async put(key: string, body: Readable, meta) {
      assertBlobKey(key);
      await ensureBucket();
      const { error } = await bucket().upload(key, body, {
        contentType: meta.contentType,
        upsert: true,
        duplex: 'half',
      });
      if (error) throw unavailable('Could not store the original file in Supabase Storage', error);
    },
    async get(key) {
      assertBlobKey(key);
      const { data, error } = await bucket().download(key);
      if (error || !data) {
        if (/not.?found/i.test(error?.message ?? '')) throw notFound('Original file');
        throw unavailable('Could not read the original file from Supabase Storage', error);
      }
      return Buffer.from(await data.arrayBuffer());
    },
    async deletePrefix(prefix) {
      assertBlobKey(prefix);
      if (prefix.split('/').filter(Boolean).length === 3) {
        const { error } = await bucket().remove([prefix]);
        if (error) throw unavailable('Could not delete a file from Supabase Storage', error);
        return;
      }
      // Storage has no recursive delete: list the folder tree and remove the files.
      const files: string[] = [];
      const walk = async (dir: string) => {
        const { data, error } = await bucket().list(dir, { limit: 1000 });
        if (error) throw unavailable('Could not list files in Supabase Storage', error);
        for (const item of data ?? []) {
          const child = `${dir}/${item.name}`;
          if (item.id) files.push(child);
          else await walk(child);
        }
      };
      await walk(prefix.replace(/\/$/, ''));
      for (let i = 0; i < files.length; i += 100) {
        const { error } = await bucket().remove(files.slice(i, i + 100));
        if (error) throw unavailable('Could not delete files from Supabase Storage', error);
      }
    },
  };
}
