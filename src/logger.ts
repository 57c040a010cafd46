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
  'event.text',
  'bot.token',
  'user.token',
  'bot.refreshToken',
  'user.refreshToken',
];

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
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination,
  );
}
