/** Why a fetch was refused or failed, each a code the caller maps to a message a person can act on. */
export type FetchRefusalCode =
  | 'bad_url'
  | 'private_address'
  | 'dns_failed'
  | 'too_many_redirects'
  | 'timeout'
  | 'too_large'
  | 'unreachable'
  | 'http_status';

/** A fetch Lore refused to make or finish; `message` is safe to show to the workspace's admins. */
export class FetchRefusedError extends Error {
  constructor(
    readonly code: FetchRefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

export function isFetchRefused(err: unknown): err is FetchRefusedError {
  return err instanceof FetchRefusedError;
}
