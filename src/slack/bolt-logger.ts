import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger.js';

// Slack tokens (xoxb-, xoxp-, xoxe-, xoxe.xoxb-, ...) anywhere in a message Bolt or the SDK writes.
const TOKEN_PATTERN = /xox[a-z]?[.-][A-Za-z0-9.-]*/gi;
// Secrets the SDK's own redaction misses when it prints request bodies as JSON.
const SECRET_FIELDS =
  /"(client_secret|code|refresh_token|code_verifier|state|nonce|text|blocks)":\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/g;
// The same secrets inside URLs: at debug the OAuth installer logs the whole authorize URL, state included.
const SECRET_PARAMS = /([?&](?:client_secret|code|refresh_token|code_verifier|state|nonce)=)[^&\s"']*/gi;
// The Web API client prints whole request bodies and results at debug: they carry message text, OAuth
// codes and the client secret. Only the fact that a call was made is kept.
const BODY_DUMPS = /^(http request body|http request result):/;

/** Blanks out anything that looks like a Slack token, a client secret, an OAuth code or state, or message text. */
export function scrubTokens(text: string): string {
  return text
    .replace(TOKEN_PATTERN, '[redacted]')
    .replace(SECRET_FIELDS, '"$1":"[redacted]"')
    .replace(SECRET_PARAMS, '$1[redacted]');
}

function describe(parts: unknown[]): string {
  const first = parts[0];
  if (typeof first === 'string' && BODY_DUMPS.test(first)) return `${first.split(':')[0]}: [redacted]`;
  return scrubTokens(
    parts
      .map((p) => {
        if (p instanceof Error) return `${p.name}: ${p.message}`;
        if (typeof p === 'string') return p;
        try {
          return JSON.stringify(p);
        } catch {
          return String(p);
        }
      })
      .join(' '),
  );
}

/**
 * Bolt and the Slack SDK log through this, so their lines land in Lore's pino stream as JSON with the
 * same redaction, and any token inside a message string is scrubbed as well.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    // Bolt writes several debug lines per request: only build (and scrub) them when they will be written.
    debug: (...m: unknown[]) => {
      if (log.isLevelEnabled('debug')) log.debug(describe(m));
    },
    info: (...m: unknown[]) => log.info(describe(m)),
    warn: (...m: unknown[]) => log.warn(describe(m)),
    error: (...m: unknown[]) => log.error(describe(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
