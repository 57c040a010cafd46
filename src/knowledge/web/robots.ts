import { LRUCache } from 'lru-cache';
import robotsParserModule from 'robots-parser';
import { FetchRefusedError } from '../../infra/http/fetch-refused.js';
import type { SafeFetch } from '../../infra/http/safe-fetch.js';

/** The name Lore's fetcher gives in User-Agent and matches robots.txt groups by. */
export const LORE_BOT = 'LoreBot';
export const LORE_USER_AGENT = `${LORE_BOT}/1.0 (+https://github.com/lore; knowledge base fetcher)`;

const ROBOTS_MAX_BYTES = 512 * 1024;

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
// A CommonJS module whose types declare an ES default: at run time the import is the function itself.
const robotsParser = robotsParserModule as unknown as (url: string, body: string) => Robots;

/** Refused because the site's robots.txt says Lore may not fetch the page. */
export class RobotsDisallowedError extends Error {
  readonly code = 'robots_disallowed';
}

/**
 * Answers "may Lore fetch this URL?" from the site's robots.txt, read once an hour per origin. A missing
 * robots.txt (4xx) allows everything, as the standard says; one that cannot be read (5xx, timeout) refuses,
 * because a site in trouble is no place to start crawling.
 */
export function createRobotsCheck(fetch: SafeFetch): (url: string) => Promise<void> {
  const cache = new LRUCache<string, Robots>({
    max: 1_000,
    ttl: 60 * 60_000,
  });
  return async (url) => {
    const origin = new URL(url).origin;
    let robots = cache.get(origin);
    if (!robots) {
      const robotsUrl = `${origin}/robots.txt`;
      const res = await fetch({ url: robotsUrl, maxBytes: ROBOTS_MAX_BYTES });
      if (res.status >= 500) {
        throw new FetchRefusedError(
          'http_status',
          `${robotsUrl} answered ${res.status}, so Lore cannot tell whether it may fetch this site. It will try again later.`,
        );
      }
      robots = robotsParser(robotsUrl, res.status < 300 ? res.body.toString('utf8') : '');
      cache.set(origin, robots);
    }
    if (robots.isAllowed(url, LORE_BOT) === false) {
      throw new RobotsDisallowedError(`The site's robots.txt does not allow fetching ${url}.`);
    }
  };
}
