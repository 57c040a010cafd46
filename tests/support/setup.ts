import nock from 'nock';
import { Agent, setGlobalDispatcher } from 'undici';
import { afterEach } from 'vitest';

// Nothing but loopback leaves a test: Slack and OpenAI are faked with nock, everything else is real.
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host));

// A new connection for every request the tests send. A test and the app it calls share one event loop; when
// that loop stalls for a second or more (a large file built, a WebAssembly query), the server's 5 s idle
// timer and the client's 4 s one both fire late, and a request could go out on a socket the server was
// closing: ECONNRESET (web-sources.test.ts with three workers). Not a server fault: separate processes,
// as in production, each keep their own time. Every fetch in a test process (the OpenAI SDK's too) goes this
// way; only connection reuse changes.
setGlobalDispatcher(new Agent({ pipelining: 0 }));

afterEach(() => {
  nock.cleanAll();
});
