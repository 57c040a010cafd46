import type { FetchRefusalCode } from './infra/http/fetch-refused.js';
/**
 * Every error code Lore uses, in one closed list: clients (the dashboard, API key users) and tests match on
 * them, so a code is added here, with its factory below, never made up where it is thrown.
 */
export type ErrorCode =
  // Requests: the client can fix these.
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'limit_exceeded'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'file_too_large'
  | 'confirmation_mismatch'
  | 'not_demo'
  // Dashboard sessions and access.
  | 'csrf_failed'
  | 'no_workspace'
  | 'workspace_unavailable'
  | 'not_admin'
  // API keys and HTTP rate limits.
  | 'missing_scope'
  | 'api_key_expired'
  | 'rate_limited'
  | 'sign_in_failed'
  // Slack: one code for "no installation for this workspace" (Bolt's store, authorize and job clients).
  | 'not_installed'
  | 'installation_broken'
  | 'slack_response_url_refused'
  | 'slack_response_url_failed'
  // The AI provider and a workspace's own OpenAI key.
  | 'ai_unavailable'
  | 'ai_key_invalid'
  | 'ai_request_rejected'
  | `openai_key_${OpenAiKeyProblem}`
  // Documents, search, storage and the job queue.
  | 'ingest_failed'
  | 'embedding_invalid'
  | 'decrypt_failed'
  | 'unavailable'
  | 'invalid_job_id'
  | 'invalid_job_payload'
  | 'queue_full'
  | 'unknown_job'
  | 'worker_running'
  // A web address Lore refuses to fetch (private, too long, …): the admin can pick another.
  | FetchRefusalCode;

/** Why a workspace's own OpenAI key was not saved (`openai_key_<reason>`). */
export type OpenAiKeyProblem = 'rejected' | 'no_quota' | 'unreachable';

/**
 * The one error type the app throws on purpose. `code` is stable (clients and tests match on it),
 * `status` is the HTTP status, and `expose` says whether `message` is safe to show a user.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly details: unknown;

  constructor(opts: {
    code: ErrorCode;
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
export const badRequest = (message: string, details?: unknown, status = 400) =>
  new AppError({ code: 'bad_request', message, status, details });

/** No credentials, or credentials that do not check out. */
export const unauthorized = (message = 'Authentication required') =>
  new AppError({ code: 'unauthorized', message, status: 401 });

/** Authenticated but not allowed. */
export const forbidden = (message = 'You do not have access to this') =>
  new AppError({ code: 'forbidden', message, status: 403 });

/** Missing, or belonging to another tenant (indistinguishable on purpose). */
export const notFound = (what = 'Resource', message = `${what} not found`, details?: unknown) =>
  new AppError({ code: 'not_found', message, status: 404, details });

/** A conflicting state, such as a duplicate name. */
export const conflict = (message: string) => new AppError({ code: 'conflict', message, status: 409 });

/** A plan limit or quota was reached. */
export const limitExceeded = (message: string, details?: unknown) =>
  new AppError({ code: 'limit_exceeded', message, status: 429, details });

/** Too many requests from one client in a window; `retryAfterSeconds` also goes out as `Retry-After`. */
export const rateLimited = (message: string, details: { retryAfterSeconds: number; limit?: number }) =>
  new AppError({ code: 'rate_limited', message, status: 429, details });

/** A dependency (database, Redis, Slack, OpenAI) is not available; the message is for operators only. */
export const unavailable = (message: string, cause?: unknown) =>
  new AppError({ code: 'unavailable', message, status: 503, expose: false, cause });

/** A request body over the size the route accepts. */
export const payloadTooLarge = (message = 'Request body is too large') =>
  new AppError({ code: 'payload_too_large', message, status: 413 });

/** A request body of a type the route does not read. */
export const unsupportedMediaType = (message: string) =>
  new AppError({ code: 'unsupported_media_type', message, status: 415 });

/** An uploaded file over the plan's per-file limit (refused while it streams). */
export const fileTooLarge = (message: string, details: { maxFileBytes: number }) =>
  new AppError({ code: 'file_too_large', message, status: 413, details });

/** A destructive action whose typed confirmation did not match. */
export const confirmationMismatch = (message: string) =>
  new AppError({ code: 'confirmation_mismatch', message, status: 400 });

/** Demo data asked for outside the demo workspace. */
export const notDemo = (message: string) => new AppError({ code: 'not_demo', message, status: 400 });

/** A dashboard write without the session's CSRF token. */
export const csrfFailed = () =>
  new AppError({
    code: 'csrf_failed',
    message: 'This request is missing its security token. Reload the page and try again.',
    status: 403,
  });

/** An operator session asked for a workspace page. */
export const noWorkspace = (message: string) => new AppError({ code: 'no_workspace', message, status: 403 });

/** The session's workspace is suspended or uninstalled. */
export const workspaceUnavailable = (message: string) =>
  new AppError({ code: 'workspace_unavailable', message, status: 403 });

/** Signed in with Slack, but neither installer nor admin/owner of the workspace. */
export const notAdmin = (message: string) => new AppError({ code: 'not_admin', message, status: 403 });

/** Slack's sign-in (OIDC) did not complete; `why` is for the log only, the user sees a generic message. */
export const signInFailed = (why: string, cause?: unknown) =>
  new AppError({
    code: 'sign_in_failed',
    message: `Sign in with Slack failed: ${why}`,
    status: 502,
    expose: false,
    cause,
  });

/** No installation for a workspace (or its tokens were revoked): Bolt acknowledges, a job cannot call Slack. */
export const notInstalled = (message: string) =>
  new AppError({ code: 'not_installed', message, status: 404 });

/** A slash command's `response_url` that is not Slack's: refused without sending. */
export const slackResponseUrlRefused = () =>
  new AppError({
    code: 'slack_response_url_refused',
    message: 'A slash command reply was refused: its response_url is not on Slack',
    status: 400,
    expose: false,
  });

/** Slack refused a reply sent to a slash command's `response_url`. */
export const slackResponseUrlFailed = (httpStatus: number) =>
  new AppError({
    code: 'slack_response_url_failed',
    message: `Slack refused the reply to a slash command (HTTP ${httpStatus})`,
    status: 502,
    expose: false,
  });

/** The AI provider failed or refused a request; the message is safe to show, the raw error is the cause. */
export const aiError = (
  code: 'ai_unavailable' | 'ai_key_invalid' | 'ai_request_rejected',
  message: string,
  opts: { cause?: unknown; details?: unknown } = {},
) => new AppError({ code, message, status: 502, expose: true, ...opts });

/** A workspace's own OpenAI key that did not pass its test: not saved. */
export const openAiKeyProblem = (reason: OpenAiKeyProblem, message: string) =>
  new AppError({ code: `openai_key_${reason}`, message, status: 422 });

/** A query embedding of the wrong shape (a bug, not input). */
export const embeddingInvalid = (message: string) =>
  new AppError({ code: 'embedding_invalid', message, status: 500 });

/** A stored secret that cannot be decrypted; never names the value. */
export const decryptFailed = (message: string, cause?: unknown) =>
  new AppError({ code: 'decrypt_failed', message, status: 500, expose: false, cause });

/** A job id BullMQ could not store (both queue adapters refuse the same ids). */
export const invalidJobId = (jobId: string) =>
  new AppError({
    code: 'invalid_job_id',
    message: `Job id "${jobId}" is not allowed: use a non-numeric id without ':'`,
    status: 500,
  });

/** A job whose name has no handler in the worker's registry. */
export const unknownJob = (name: string) =>
  new AppError({ code: 'unknown_job', message: `No handler is registered for job "${name}"`, status: 500 });

/**
 * Too many submitted jobs are waiting, for the platform or for one workspace (`JobQueue.submit`'s bounds): a
 * 503, so Slack delivers the event again later; nothing was queued.
 */
export const queueFull = (message: string, details: { scope: 'platform' | 'workspace'; limit: number }) =>
  new AppError({ code: 'queue_full', message, status: 503, expose: false, details });

/** A second `startWorker` on the same queue. */
export const workerRunning = () =>
  new AppError({ code: 'worker_running', message: 'The worker is already running', status: 500 });

/** A web address refused when it is added (`bad_url`, `private_address`, …), with a message to act on. */
export const fetchRefused = (code: FetchRefusalCode, message: string) =>
  new AppError({ code, message, status: 400 });

/** An API key used on a route its scopes do not cover. */
export const missingScope = (message: string, details: { needed: string; granted: readonly string[] }) =>
  new AppError({ code: 'missing_scope', message, status: 403, details });

/** An API key past its expiry (or past its rotation's grace period). */
export const apiKeyExpired = (message: string) =>
  new AppError({ code: 'api_key_expired', message, status: 401 });

/** True for AppError instances, including ones from another copy of this module. */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (err instanceof Error && err.name === 'AppError' && 'code' in err);
}

/**
 * A job payload that does not match its job's schema: a bug in the code that queued it, or a payload left
 * in the queue by an older version. Names the fields, never their values (a question is message text).
 */
export const invalidJobPayload = (
  job: string,
  error: { issues: { path: PropertyKey[]; message: string }[] },
) =>
  new AppError({
    code: 'invalid_job_payload',
    message: `The "${job}" job's payload is not valid: ${error.issues
      .map((i) => `${i.path.map(String).join('.') || 'payload'}: ${i.message}`)
      .join('; ')}`,
    status: 500,
    details: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
