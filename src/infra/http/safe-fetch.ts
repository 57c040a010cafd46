import { type LookupAddress, lookup as systemLookup } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { type AddressPolicy, publicAddressesOnly } from './address-policy.js';
import { FetchRefusedError } from './fetch-refused.js';

/** A DNS lookup with `dns.lookup`'s signature (tests pass one that answers what they need). */
export type Lookup = typeof systemLookup;

export interface SafeFetchOptions {
  /** Which resolved addresses may be connected to (default: public unicast only). */
  policy?: AddressPolicy;
  lookup?: Lookup;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  maxRedirects?: number;
  userAgent: string;
}

export interface FetchRequest {
  url: string;
  maxBytes: number;
  headers?: Record<string, string>;
}

export interface FetchedResponse {
  /** Where the body came from, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type SafeFetch = (req: FetchRequest) => Promise<FetchedResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class AddressRefused extends Error {
  constructor(readonly ip: string) {
    super(`address ${ip} is not allowed`);
  }
}

function refusedAddress(host: string): FetchRefusedError {
  return new FetchRefusedError(
    'private_address',
    `${host} is a private, loopback or link-local address; Lore only fetches public web pages.`,
    { host },
  );
}

/** Parses a URL Lore may fetch: http(s), no user name or password, an address literal checked at once. */
export function checkFetchUrl(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefusedError('bad_url', `"${raw.slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError('bad_url', `Only http and https pages can be added (not ${url.protocol}).`);
  }
  if (url.username || url.password) {
    throw new FetchRefusedError('bad_url', 'A URL with a user name or password cannot be added.');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // The system resolver is never asked about an address literal, so it is checked here instead.
  if (isIP(host) && !policy(host)) throw refusedAddress(host);
  return url;
}

/**
 * An HTTP client that refuses what an attacker-chosen URL could reach inside Lore's network: every
 * connection's resolved address is checked by the policy at connect time (so DNS answers, rebinding and
 * redirects all pass the same gate), redirects are followed by hand and re-checked, and the exchange is
 * bounded in time and bytes.
 */
export function createSafeFetch(opts: SafeFetchOptions): SafeFetch & { close(): Promise<void> } {
  const policy = opts.policy ?? publicAddressesOnly;
  const resolve = opts.lookup ?? systemLookup;
  const maxRedirects = opts.maxRedirects ?? 5;
  const guardedLookup = ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !policy(a.address));
      if (refused || list.length === 0) return callback(new AddressRefused(refused?.address ?? hostname));
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  }) as unknown as Lookup;
  const agent = new Agent({
    connect: { lookup: guardedLookup, timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });

  const fetchOnce = async (url: URL, req: FetchRequest, signal: AbortSignal) => {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      signal,
      headers: { 'user-agent': opts.userAgent, accept: '*/*', ...req.headers },
    });
    return res;
  };

  const safeFetch = async (req: FetchRequest): Promise<FetchedResponse> => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let url = checkFetchUrl(req.url, policy);
    try {
      for (let hop = 0; ; hop++) {
        const res = await fetchOnce(url, req, signal);
        const headers = flatHeaders(res.headers);
        if (REDIRECTS.has(res.statusCode) && headers.location) {
          await res.body.dump().catch(() => {});
          if (hop >= maxRedirects) {
            throw new FetchRefusedError(
              'too_many_redirects',
              `${req.url} redirects more than ${maxRedirects} times.`,
            );
          }
          url = checkFetchUrl(new URL(headers.location, url).toString(), policy);
          continue;
        }
        const body = await readBounded(res.body, headers, req.maxBytes, url);
        return { url: url.toString(), status: res.statusCode, headers, body };
      }
    } catch (err) {
      throw asRefusal(err, url, opts.timeoutMs, signal);
    }
  };
  return Object.assign(safeFetch, { close: () => agent.close() });
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): void },
  headers: Record<string, string>,
  maxBytes: number,
  url: URL,
): Promise<Buffer> {
  const tooLarge = () =>
    new FetchRefusedError('too_large', `${url.toString()} is larger than ${formatBytes(maxBytes)}.`, {
      maxBytes,
    });
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge();
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${Math.round(n / 104_857.6) / 10} MB` : `${Math.round(n / 102.4) / 10} KB`;
}

/** Turns what undici and the resolver throw into the one refusal that says what happened. */
function asRefusal(err: unknown, url: URL, timeoutMs: number, signal: AbortSignal): Error {
  if (err instanceof FetchRefusedError) return err;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AddressRefused) return refusedAddress(url.hostname);
    const code = (e as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new FetchRefusedError('dns_failed', `${url.hostname} could not be found (DNS).`);
    }
    if (
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return timedOut(url, timeoutMs);
    }
  }
  if (signal.aborted) return timedOut(url, timeoutMs);
  return new FetchRefusedError('unreachable', `${url.hostname} could not be reached.`);
}

function timedOut(url: URL, timeoutMs: number): FetchRefusedError {
  return new FetchRefusedError(
    'timeout',
    `${url.toString()} did not answer within ${Math.round(timeoutMs / 1000)} seconds.`,
  );
}
