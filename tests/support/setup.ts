import nock from 'nock';
import { afterEach } from 'vitest';

// Nothing but loopback leaves a test: Slack and OpenAI are faked with nock, everything else is real.
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host));

afterEach(() => {
  nock.cleanAll();
});
