import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';

/** A loopback port nothing listens on (taken from the OS, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('startup with a Redis that does not answer', () => {
  it('stops with one message naming the URL (password hidden) instead of waiting on reconnects', async () => {
    const port = await deadPort();
    await expect(startTestApp({ REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(
        `^Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} does not answer: start Redis, or fix REDIS_URL`,
      ),
    );
    // Embedded mode migrates PGlite before it reaches Redis: seconds on a busy machine.
  }, 60_000);
});
