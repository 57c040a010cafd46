import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { isSignedBySlack, slackDeliveryGate } from '../../../src/slack/middleware/delivery-gate.js';
import { slackSignature as signAt } from '../../support/slack.js';

const slackSignature = (secret: string, ts: number, body: string) => signAt(secret, String(ts), body);

const SECRET = 'property-signing-secret';

describe('Slack signature check at the delivery gate (property-based, real HTTP)', () => {
  let server: Server;
  let url: string;
  const passed: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.post(
      '/slack/events',
      slackDeliveryGate({ signingSecret: SECRET, logger: createLogger({ level: 'silent' }) }),
      (req, res) => {
        passed.push(req.rawBody?.toString('utf8') ?? '');
        res.status(204).end();
      },
    );
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string, timestamp: number, signature: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
      body,
    }).then((r) => r.status);
  const now = () => Math.floor(Date.now() / 1000);

  it('a correctly signed body is never refused as unsigned, and never answered with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string()), async (body) => {
        const ts = now();
        const status = await post(body, ts, slackSignature(SECRET, ts, body));
        expect([200, 204]).toContain(status);
      }),
      { numRuns: 60 },
    );
  });

  it('any change to the body, the timestamp or the secret is refused with a 401, and nothing passes', async () => {
    const before = passed.length;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.nat(),
        fc.constantFrom('body', 'secret', 'stale', 'signature'),
        async (body, at, change) => {
          const ts = now();
          const signed = slackSignature(SECRET, ts, body);
          const status = await {
            body: () => {
              const i = at % body.length;
              const other = body.charCodeAt(i) === 120 ? 'y' : 'x';
              return post(body.slice(0, i) + other + body.slice(i + 1), ts, signed);
            },
            secret: () => post(body, ts, slackSignature(`${SECRET}!`, ts, body)),
            stale: () =>
              post(body, ts - 301 - (at % 10_000), slackSignature(SECRET, ts - 301 - (at % 10_000), body)),
            signature: () => post(body, ts, `${signed.slice(0, -1)}${signed.endsWith('0') ? '1' : '0'}`),
          }[change]();
          expect(status).toBe(401);
        },
      ),
      { numRuns: 80 },
    );
    expect(passed.length).toBe(before);
  });
});

describe("the gate's signature check is Bolt's (isValidSlackRequest)", () => {
  it('agrees with Bolt on signed, re-signed, altered, stale, future and malformed signatures', () => {
    const nowMs = Date.now();
    const nowS = Math.floor(nowMs / 1000);
    fc.assert(
      fc.property(
        fc.string(),
        fc.oneof(
          fc.constant(nowS),
          fc.integer({ min: nowS - 400, max: nowS + 400 }),
          fc.constant(Number.NaN),
        ),
        fc.constantFrom(
          'good',
          'v1',
          'empty',
          'no-hash',
          'extra',
          'altered',
          'other-secret',
          'upper',
          'junk',
        ),
        fc.string(),
        (body, ts, kind, junk) => {
          const good = slackSignature(SECRET, ts, body);
          const signature = {
            good,
            v1: good.replace('v0=', 'v1='),
            empty: '',
            'no-hash': 'v0=',
            extra: `${good}=more`,
            altered: `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`,
            'other-secret': slackSignature(`${SECRET}!`, ts, body),
            upper: `v0=${good.slice(3).toUpperCase()}`,
            junk,
          }[kind];
          const bolt = isValidSlackRequest({
            signingSecret: SECRET,
            body,
            headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
            nowMilliseconds: nowMs,
          });
          expect(isSignedBySlack(SECRET, body, signature, ts, nowMs)).toBe(bolt);
        },
      ),
      { numRuns: 500 },
    );
  });
});
