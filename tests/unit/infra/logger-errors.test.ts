import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';

describe('error log lines', () => {
  it('never carry a token or key echoed into an error message by an HTTP client', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: 'info', destination });
    const err = new Error(
      'No match for request {"authorization": "Bearer xoxb-1765-1987-pdFZKVeT", "x": "sk-test-abcdefghijk"}',
    );
    log.warn({ err }, 'answer attempt failed');
    const line = lines.join('');
    expect(line).toContain('answer attempt failed');
    expect(line).toContain('No match for request');
    expect(line).toContain('Bearer [redacted]');
    expect(line).not.toMatch(/xoxb-|sk-test/);
  });
});
