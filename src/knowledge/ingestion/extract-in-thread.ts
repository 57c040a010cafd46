import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Extracted } from './extract.js';
import type { ExtractReply, ExtractRequest } from './extract.worker.js';
import type { ExtractLimits } from './extract-limits.js';
import { IngestError, type IngestFailureReason } from './ingest-error.js';

/** The wall clock and heap one document may use while it is read, and how many are read at once. */
export interface ThreadBounds {
  timeoutMs: number;
  memoryMb: number;
  concurrency?: number;
  /** Keep one thread started (worker processes): the first document does not wait for a thread to start. */
  warm?: boolean;
}

/** Reads documents (detect, parse, chunk) off the main thread. */
export interface DocumentReader {
  read(bytes: Buffer, fileName: string, limits: ExtractLimits): Promise<Extracted>;
  close(): Promise<void>;
}

// A thread left idle this long is stopped, returning its memory; idle threads never keep the process alive.
const IDLE_THREAD_MS = 60_000;
// Starting a thread (and, from source, compiling its modules) can take seconds on a busy machine. It does not
// count against the document's limit, but a read that never starts is given up after this long.
const START_TIMEOUT_MS = 60_000;

const sharedReaders = new Map<string, DocumentReader>();

/**
 * This process's reader for `bounds`, shared by every caller that asks and never closed (idle threads do not
 * keep the process alive): for callers that make many short-lived owners of a reader (job registries built
 * by tools and tests, test apps). A thread started from source loads tsx and every parser, seconds of CPU;
 * one per owner was a third of the test suite's CPU. Production makes one reader per process and closes it.
 */
export function sharedDocumentReader(bounds: ThreadBounds): DocumentReader {
  const key = JSON.stringify(bounds);
  const reader = sharedReaders.get(key) ?? createDocumentReader(bounds);
  sharedReaders.set(key, reader);
  return reader;
}

/**
 * Reads documents in a pool of worker threads (piscina), so no file can block the event loop that
 * acknowledges Slack's events: each thread's heap is capped at `memoryMb`, and a read still running after
 * `timeoutMs` is aborted, which terminates its thread. Every way a read can end badly becomes an IngestError
 * with a reason the uploader can act on.
 */
export function createDocumentReader(bounds: ThreadBounds): DocumentReader {
  // From TypeScript source the thread loads a small entry that registers tsx first (see that file).
  const fromSource = import.meta.url.endsWith('.ts');
  const pool = new Piscina({
    filename: new URL(fromSource ? './extract.worker.source.mjs' : './extract.worker.js', import.meta.url)
      .href,
    minThreads: bounds.warm ? 1 : 0,
    maxThreads: Math.max(1, bounds.concurrency ?? 1),
    idleTimeout: IDLE_THREAD_MS,
    resourceLimits: {
      maxOldGenerationSizeMb: bounds.memoryMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(bounds.memoryMb / 8))),
    },
  });
  return {
    async read(bytes, fileName, limits) {
      const { port1, port2 } = new MessageChannel();
      const request: ExtractRequest = { bytes: new Uint8Array(bytes), fileName, limits, started: port2 };
      const abort = new AbortController();
      let timer = setTimeout(() => abort.abort(), START_TIMEOUT_MS);
      port1.once('message', () => {
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), bounds.timeoutMs);
      });
      let reply: ExtractReply;
      try {
        reply = await pool.run(request, { signal: abort.signal, transferList: [port2] });
      } catch (err) {
        throw threadError(err, bounds);
      } finally {
        clearTimeout(timer);
        port1.close();
      }
      if (reply.ok) return reply.extracted;
      throw replyError(reply);
    },
    close: () => pool.destroy(),
  };
}

function threadError(err: unknown, bounds: ThreadBounds): IngestError {
  const e = err as Error & { code?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return timedOut(bounds);
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return tooLarge(bounds, e);
  return crashed(e instanceof Error ? e : new Error(String(err)));
}

const KNOWN_REASONS: ReadonlySet<string> = new Set<IngestFailureReason>([
  'empty_document',
  'encrypted_pdf',
  'no_text_layer',
  'corrupt_file',
  'unsupported_type',
  'too_large',
  'zip_bomb',
  'too_many_pages',
  'too_much_text',
  'too_many_passages',
]);

function replyError(reply: Extract<ExtractReply, { ok: false }>): IngestError {
  if (reply.reason === 'too_complex') {
    return new IngestError(
      'too_complex',
      'This document is nested too deeply to read (thousands of levels of elements or lists). Save it in a simpler format and upload it again.',
    );
  }
  if (reply.reason && KNOWN_REASONS.has(reply.reason))
    return new IngestError(reply.reason as IngestFailureReason, reply.message);
  // Reading is deterministic, so a reader bug would fail every retry the same way: fail once, keep the detail in the log.
  return crashed(new Error(reply.message));
}

function timedOut(bounds: ThreadBounds): IngestError {
  return new IngestError(
    'timed_out',
    `Reading this document took longer than ${Math.round(bounds.timeoutMs / 1000)} seconds, Lore's limit for one document. It may be damaged or far larger than it looks: split it or save it in a simpler format.`,
  );
}

function tooLarge(bounds: ThreadBounds, cause: Error): IngestError {
  return new IngestError(
    'too_large',
    `Reading this document needed more than ${bounds.memoryMb} MB of memory, Lore's limit for one document. It may be a compression bomb or far larger than it looks: split it or save it in a simpler format.`,
    cause,
  );
}

function crashed(cause: Error): IngestError {
  return new IngestError(
    'parser_crashed',
    "Lore's reader stopped on this file: it is damaged or built in a way Lore cannot read. Save it again or in another format, and upload it.",
    cause,
  );
}
