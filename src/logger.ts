import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Tokens, keys, OAuth codes and message text are the
 * secrets and private data that must never reach a log line.
 */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'userToken',
  'refreshToken',
  'accessToken',
  'access_token',
  'refresh_token',
  'bot_token',
  'user_token',
  'client_secret',
  'clientSecret',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'text',
  'authorization',
  'cookie',
  '*.token',
  '*.botToken',
  '*.userToken',
  '*.refreshToken',
  '*.accessToken',
  '*.access_token',
  '*.refresh_token',
  '*.bot_token',
  '*.user_token',
  '*.client_secret',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.text',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.state',
  // OAuth state and OpenID nonce: whoever reads them could finish someone else's install or sign-in.
  'state',
  'nonce',
  '*.state',
  '*.nonce',
  'event.text',
  'bot.token',
  'user.token',
  'bot.refreshToken',
  'user.refreshToken',
];

// Credentials inside error text: HTTP clients (and test doubles) echo request headers into error messages,
// where path-based redaction cannot reach. Slack tokens, bearer credentials and OpenAI-style keys.
const SECRET_IN_TEXT = /\bxox[a-z]-[\w-]+|\b(Bearer\s+)[^\s"'\\]+|\bsk-[\w-]{8,}/g;

/** pino's error serializer, with credentials scrubbed from every string of the serialized error. */
export function serializeError(err: Error): Record<string, unknown> {
  const plain = JSON.stringify(pino.stdSerializers.err(err));
  return JSON.parse(plain.replace(SECRET_IN_TEXT, (_m, bearer?: string) => `${bearer ?? ''}[redacted]`));
}

/** Creates the root logger; every request, event and job logs through a child of it. */
export function createLogger(opts: {
  level: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'lore' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    opts.destination,
  );
}
