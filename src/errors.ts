/**
 * The one error type the app throws on purpose. `code` is stable (clients and tests match on it),
 * `status` is the HTTP status, and `expose` says whether `message` is safe to show a user.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details: unknown;

  constructor(opts: {
    code: string;
    message: string;
    status?: number;
    expose?: boolean;
    cause?: unknown;
    details?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.status = opts.status ?? 500;
    this.expose = opts.expose ?? this.status < 500;
    this.details = opts.details;
  }
}

/** The request was malformed; `details` lists what was wrong. */
export const badRequest = (message: string, details?: unknown) =>
  new AppError({ code: 'bad_request', message, status: 400, details });

/** No credentials, or credentials that do not check out. */
export const unauthorized = (message = 'Authentication required') =>
  new AppError({ code: 'unauthorized', message, status: 401 });

/** Authenticated but not allowed. */
export const forbidden = (message = 'You do not have access to this') =>
  new AppError({ code: 'forbidden', message, status: 403 });

/** Missing, or belonging to another tenant (indistinguishable on purpose). */
export const notFound = (what = 'Resource') =>
  new AppError({ code: 'not_found', message: `${what} not found`, status: 404 });

/** A conflicting state, such as a duplicate name. */
export const conflict = (message: string) => new AppError({ code: 'conflict', message, status: 409 });

/** A plan limit or quota was reached. */
export const limitExceeded = (message: string, details?: unknown) =>
  new AppError({ code: 'limit_exceeded', message, status: 429, details });

/** A dependency (database, Redis, Slack, OpenAI) is not available; the message is for operators only. */
export const unavailable = (message: string, cause?: unknown) =>
  new AppError({ code: 'unavailable', message, status: 503, expose: false, cause });

/** True for AppError instances, including ones from another copy of this module. */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (err instanceof Error && err.name === 'AppError' && 'code' in err);
}
