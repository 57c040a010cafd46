/**
 * The Redis URL for tests that need a real Redis. Locally they skip without one; in CI (CI=true) a
 * missing REDIS_URL is an error, so Redis tests can never be silently skipped there.
 */
export function testRedisUrl(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but REDIS_URL is not set: Redis tests must run in CI (.ci/run starts redis-server).',
    );
  }
  return url;
}
