import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createBoltLogger, scrubTokens } from '../../../src/slack/bolt-logger.js';

describe('Bolt logger adapter', () => {
  it('scrubs every Slack token shape from message strings', () => {
    const text = scrubTokens(
      'bot xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy user xoxp-1234 rot xoxe.xoxb-1-abc refresh xoxe-1-abc',
    );
    expect(text).not.toMatch(/xox/);
    expect(text.match(/\[redacted\]/g)).toHaveLength(4);
  });

  it('scrubs client secrets, OAuth codes and message text printed as JSON', () => {
    const text = scrubTokens(
      '{"code":"4724469134.4644","client_secret":"e1b9e11dfcd1","text":"my private \\"question\\"","channel":"C1"}',
    );
    expect(text).toBe(
      '{"code":"[redacted]","client_secret":"[redacted]","text":"[redacted]","channel":"C1"}',
    );
  });

  it('scrubs the OAuth state, nonce and code from URLs and JSON (the installer logs its authorize URL at debug)', () => {
    const text = scrubTokens(
      'Generated authorize URL: https://slack.com/oauth/v2/authorize?scope=chat%3Awrite&state=eyJhbGciOi.abc-def_1&client_id=1.2&nonce=n0nc3 {"state":"s1"} /cb?code=c0de&x=1',
    );
    expect(text).not.toMatch(/eyJhbGciOi|n0nc3|"s1"|c0de/);
    expect(text).toContain('state=[redacted]&client_id=1.2');
    expect(text).toContain('code=[redacted]&x=1');
  });

  it('writes Bolt lines as JSON into the pino stream, never the request bodies the SDK dumps at debug', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const bolt = createBoltLogger(logger);
    bolt.debug('http request body: {"client_secret":"s3cr3t","code":"abc","token":"xoxb-1"}');
    bolt.warn('Authorization of incoming event did not succeed.');
    bolt.error(new Error('An API error occurred: invalid_auth (token xoxb-2-abc)'));
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((p) => [p.level, p.component, p.msg])).toEqual([
      [20, 'bolt', 'http request body: [redacted]'],
      [40, 'bolt', 'Authorization of incoming event did not succeed.'],
      [50, 'bolt', 'Error: An API error occurred: invalid_auth (token [redacted])'],
    ]);
    expect(lines.join('')).not.toMatch(/s3cr3t|xoxb/);
  });
});
