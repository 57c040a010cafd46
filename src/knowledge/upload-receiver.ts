import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AppError, fileTooLarge as fileTooLargeError } from '../errors.js';

/** An upload spooled to a temp file: its checksum and size are known before anything is stored. */
export interface ReceivedUpload {
  path: string;
  checksum: string;
  byteSize: number;
  discard(): Promise<void>;
}

/** Human-readable byte sizes for error messages ("12.4 MB"). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The error every oversized upload gets, naming the plan's limit. */
export function fileTooLarge(fileName: string, limit: number): AppError {
  return fileTooLargeError(
    `"${fileName}" is larger than your plan allows (${formatBytes(limit)} per file).`,
    {
      maxFileBytes: limit,
    },
  );
}

/**
 * Streams an upload to a temp file while hashing it, never holding it whole in memory, and stops
 * as soon as it passes `maxBytes` (the temp file is removed and the error names the limit).
 */
export async function receiveUpload(
  body: Readable,
  fileName: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  const file = path.join(tmpdir(), `lore-upload-${randomUUID()}`);
  const hash = createHash('sha256');
  let byteSize = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      byteSize += chunk.length;
      if (byteSize > maxBytes) return done(fileTooLarge(fileName, maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    // Piped rather than part of the pipeline: an error must not destroy `body`. A multipart parser stalls
    // for good when one of its file streams is destroyed mid-file (the request then hung until Node's
    // timeout); left intact, the caller decides whether to drain it or end the request.
    body.pipe(meter);
    body.once('error', (err) => meter.destroy(err));
    await pipeline(meter, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    body.unpipe(meter);
    await rm(file, { force: true });
    throw err;
  }
  return { path: file, checksum: hash.digest('hex'), byteSize, discard: () => rm(file, { force: true }) };
}
