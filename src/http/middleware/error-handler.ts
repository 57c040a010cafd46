import type { ErrorRequestHandler, RequestHandler } from 'express';
import { type AppError, badRequest, isAppError, payloadTooLarge } from '../../errors.js';

/** The JSON shape of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: unknown };
}

/** Turns a body-parser or other HTTP-ish error (with status/type) into an AppError the user can read. */
function fromHttpError(err: { status?: number; type?: string; message?: string }): AppError | undefined {
  if (err.type === 'entity.too.large') {
    return payloadTooLarge();
  }
  if (err.type === 'entity.parse.failed') {
    return badRequest('Request body is not valid JSON');
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return badRequest('Bad request', undefined, err.status);
  }
  return undefined;
}

/**
 * The one HTTP error sink: AppErrors become their JSON; anything else becomes a 500 whose body says only
 * that something went wrong. Stacks and raw messages go to the log, never to the client.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = isAppError(err) ? err : fromHttpError(err ?? {});
  const status = appErr?.status ?? 500;
  const log = req.log;
  if (status >= 500) log?.error({ err }, 'request failed');
  else log?.info({ code: appErr?.code, status }, 'request rejected');
  if (res.headersSent) return;
  const body: ErrorBody = {
    error: {
      code: appErr?.code ?? 'internal',
      message: appErr?.expose ? appErr.message : 'Something went wrong on our side. Please try again.',
      requestId: typeof req.id === 'string' ? req.id : undefined,
      ...(appErr?.expose && appErr.details !== undefined ? { details: appErr.details } : {}),
    },
  };
  res.status(status).json(body);
};

/** Unknown routes get the same JSON error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = {
    error: {
      code: 'not_found',
      message: `No route for ${req.method} ${req.path}`,
      requestId: String(req.id ?? ''),
    },
  };
  res.status(404).json(body);
};
