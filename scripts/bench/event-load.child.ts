import { load } from './load.js';
import { signedMentions } from './slack-events.js';

/**
 * Run by event-load.ts in its own process: posts signed mentions to a URL and prints the LoadResult as
 * JSON. Keeping the load generator out of the server's process lets the bench count only the server's
 * CPU time per event.
 */
const [url, secret, tenants, total, concurrency] = process.argv.slice(2);
const init = signedMentions(secret ?? '', Number(tenants), Number(total));
const result = await load(url ?? '', { total: Number(total), concurrency: Number(concurrency), init });
process.stdout.write(`${JSON.stringify(result)}\n`);
