import { AppError } from '../../errors.js';

/** Why a document could not be ingested; stable, shown on the document's status and matched by tests. */
export type IngestFailureReason =
  | 'empty_document'
  | 'encrypted_pdf'
  | 'no_text_layer'
  | 'corrupt_file'
  | 'unsupported_type'
  | 'too_large'
  | 'zip_bomb'
  | 'too_many_pages'
  | 'too_much_text'
  | 'too_many_passages'
  | 'timed_out'
  | 'too_complex'
  | 'parser_crashed';

/**
 * A document that cannot be ingested, with a message written for the admin who uploaded it. Thrown by
 * detection and parsing; the pipeline records `reason` and `message` on the failed document.
 */
export class IngestError extends AppError {
  readonly reason: IngestFailureReason;

  constructor(reason: IngestFailureReason, message: string, cause?: unknown) {
    super({ code: 'ingest_failed', message, status: 422, expose: true, cause, details: { reason } });
    this.reason = reason;
  }
}

/** True for an IngestError, optionally of one reason. */
export function isIngestError(err: unknown, reason?: IngestFailureReason): err is IngestError {
  return err instanceof IngestError && (reason === undefined || err.reason === reason);
}
