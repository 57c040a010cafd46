import { isAppError } from '../../errors.js';
import { FetchRefusedError } from '../../infra/http/fetch-refused.js';
import { RobotsDisallowedError } from './robots.js';

/** A web source that could not be fetched or used, with a message for the workspace's admins. */
export class WebSourceRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebSourceRefusal';
  }
}

/** The code and message to record for an error a fetch ended with, or null when it is not a refusal. */
export function refusalOf(err: unknown): { code: string; reason: string } | null {
  if (err instanceof WebSourceRefusal || err instanceof FetchRefusedError)
    return { code: err.code, reason: err.message };
  if (err instanceof RobotsDisallowedError) return { code: err.code, reason: err.message };
  if (isAppError(err) && err.expose) return { code: err.code, reason: err.message };
  return null;
}
