import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicAddressesOnly } from '../../src/infra/http/address-policy.js';
import { type FetchRefusedError, isFetchRefused } from '../../src/infra/http/fetch-refused.js';
import { createSafeFetch, type Lookup } from '../../src/infra/http/safe-fetch.js';
import { html, startWebSite } from '../support/web-site.js';

type Site = Awaited<ReturnType<typeof startWebSite>>;

/** Resolves test names as a hostile DNS would: `evil.test` to a private address, everything else to loopback. */
const testLookup = ((hostname: string, _opts: object, cb: (e: Error | null, a: LookupAddress[]) => void) => {
  const address =
    hostname === 'evil.test' ? '10.1.2.3' : hostname === 'metadata.test' ? '169.254.169.254' : '127.0.0.1';
  cb(null, [{ address, family: 4 }]);
}) as unknown as Lookup;

const refusal = async (p: Promise<unknown>): Promise<FetchRefusedError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isFetchRefused(err)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
};

describe('safe fetch: the SSRF guard itself (private addresses NOT allowed)', () => {
  let site: Site;
  // The public internet, as far as this test is concerned, is the one loopback server: 127.0.0.1 only.
  const strictButTheSite = createSafeFetch({
    policy: (ip) => ip === '127.0.0.1' || publicAddressesOnly(ip),
    lookup: testLookup,
    timeoutMs: 1_000,
    maxRedirects: 3,
    userAgent: 'LoreBot/test',
  });
  const strict = createSafeFetch({ timeoutMs: 1_000, userAgent: 'LoreBot/test' });

  beforeAll(async () => {
    site = await startWebSite({
      '/ok': html('<p>hello</p>'),
      '/to-metadata': (_q, r) =>
        r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-evil-name': (_q, r) => r.writeHead(301, { location: `http://evil.test:${site.port}/ok` }).end(),
      '/to-mapped': (_q, r) => r.writeHead(307, { location: 'http://[::ffff:10.0.0.1]/' }).end(),
      '/loop': (_q, r) => r.writeHead(302, { location: '/loop' }).end(),
      '/big': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('x'.repeat(5_000)),
      '/big-chunked': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        for (let i = 0; i < 10; i++) r.write('y'.repeat(1_000));
        r.end();
      },
      '/slow': () => {},
    });
  });
  afterAll(async () => {
    await strictButTheSite.close();
    await strict.close();
    await site.close();
  });

  it('refuses loopback by address literal and by name (the name is checked at connect time)', async () => {
    const before = site.log.length;
    expect((await refusal(strict({ url: `${site.origin}/ok`, maxBytes: 1_000 }))).code).toBe(
      'private_address',
    );
    const byName = await refusal(strict({ url: `http://localhost:${site.port}/ok`, maxBytes: 1_000 }));
    expect(byName.code).toBe('private_address');
    expect(byName.message).toContain('private, loopback or link-local');
    expect(site.log.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, and link-local metadata', async () => {
    expect(
      (await refusal(strictButTheSite({ url: `http://evil.test:${site.port}/ok`, maxBytes: 1_000 }))).code,
    ).toBe('private_address');
    expect((await refusal(strictButTheSite({ url: 'http://metadata.test/', maxBytes: 1_000 }))).code).toBe(
      'private_address',
    );
  });

  it('re-checks every redirect: to a metadata address, to a name resolving privately, to a mapped IPv6 address', async () => {
    for (const path of ['/to-metadata', '/to-evil-name', '/to-mapped']) {
      const err = await refusal(strictButTheSite({ url: `${site.origin}${path}`, maxBytes: 1_000 }));
      expect(err.code, path).toBe('private_address');
    }
    const ok = await strictButTheSite({ url: `${site.origin}/ok`, maxBytes: 1_000 });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toContain('hello');
  });

  it('stops after the redirect limit, at the size limit (declared or streamed), and at the time limit', async () => {
    expect((await refusal(strictButTheSite({ url: `${site.origin}/loop`, maxBytes: 1_000 }))).code).toBe(
      'too_many_redirects',
    );
    expect((await refusal(strictButTheSite({ url: `${site.origin}/big`, maxBytes: 1_000 }))).code).toBe(
      'too_large',
    );
    expect(
      (await refusal(strictButTheSite({ url: `${site.origin}/big-chunked`, maxBytes: 1_000 }))).code,
    ).toBe('too_large');
    const slow = await refusal(strictButTheSite({ url: `${site.origin}/slow`, maxBytes: 1_000 }));
    expect(slow.code).toBe('timeout');
    expect(slow.message).toContain('did not answer within 1 seconds');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    expect((await refusal(strict({ url: 'file:///etc/passwd', maxBytes: 1_000 }))).code).toBe('bad_url');
    expect((await refusal(strict({ url: 'http://user:pw@example.com/', maxBytes: 1_000 }))).code).toBe(
      'bad_url',
    );
    expect((await refusal(strict({ url: 'not a url', maxBytes: 1_000 }))).code).toBe('bad_url');
  });
});
