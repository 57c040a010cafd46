import type { MessagePort } from 'node:worker_threads';
import { extractPassages } from './extract.js';
import type { ExtractLimits } from './extract-limits.js';
import { isIngestError } from './ingest-error.js';

/** What a reader thread is given (structured-cloned) and what it answers with. */
export interface ExtractRequest {
  bytes: Uint8Array;
  fileName: string;
  limits: ExtractLimits;
  /** Told the moment reading starts: the wall-clock limit counts from there, not from the thread's start-up. */
  started: MessagePort;
}

export type ExtractReply =
  | { ok: true; extracted: Awaited<ReturnType<typeof extractPassages>> }
  | { ok: false; reason?: string; message: string };

/**
 * The task a reader thread runs (see extract-in-thread.ts). Failures come back as values: an error's class
 * does not survive the trip between threads, and only the uploader's message and reason should.
 */
export default async function readDocument(request: ExtractRequest): Promise<ExtractReply> {
  request.started.postMessage('started');
  request.started.close();
  try {
    const extracted = await extractPassages(Buffer.from(request.bytes), request.fileName, request.limits);
    return { ok: true, extracted };
  } catch (err) {
    if (isIngestError(err)) return { ok: false, reason: err.reason, message: err.message };
    if (err instanceof RangeError && /call stack/i.test(err.message))
      return { ok: false, reason: 'too_complex', message: err.message };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
