import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../logger.js';

/** Bolt's own limit on a delivery's body; Slack's largest payloads (views) stay far below it. */
const MAX_BODY_BYTES = 1024 * 1024;

declare global {
  namespace Express {
    interface Request {
      /** The delivery's bytes, read once here (Bolt's receiver reads these instead of the stream when it runs). */
      rawBody?: Buffer;
    }
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** True for an Events API body Lore's listeners can read (checked after the signature). */
function usableEvent(body: unknown): boolean {
  if (!isObject(body) || !isString(body.type)) return false;
  if (body.type === 'url_verification') return isString(body.challenge);
  if (body.type === 'event_callback') return isObject(body.event) && isString(body.event.type);
  return body.type === 'app_rate_limited';
}

/** True for an interaction payload with the fields Bolt and Lore's listeners read. */
function usableInteraction(p: unknown): boolean {
  if (!isObject(p) || !isString(p.type) || !isObject(p.user) || !isString(p.user.id)) return false;
  if (p.team !== null && p.team !== undefined && !(isObject(p.team) && isString(p.team.id))) return false;
  switch (p.type) {
    case 'block_actions':
      return (
        Array.isArray(p.actions) &&
        p.actions.length > 0 &&
        p.actions.every((a) => isObject(a) && isString(a.action_id)) &&
        (p.channel === undefined || (isObject(p.channel) && isString(p.channel.id))) &&
        (p.message === undefined || (isObject(p.message) && isString(p.message.ts)))
      );
    case 'view_submission':
    case 'view_closed':
      return isObject(p.view) && isString(p.view.id);
    case 'shortcut':
    case 'message_action':
    case 'block_suggestion':
      return true;
    default:
      return false;
  }
}

const COMMAND_FIELDS = ['command', 'team_id', 'user_id', 'channel_id', 'trigger_id'] as const;

const FORM = 'application/x-www-form-urlencoded';

/**
 * Parses a verified body as Bolt's receiver does (ExpressReceiver's parseRequestBody: form fields, or the
 * `payload` field's JSON, only for exactly this content type; JSON otherwise), and says whether Lore can
 * do anything with it. `body` is what Bolt would have parsed, or `undefined` when Bolt could not parse it
 * (its receiver answered those 400).
 */
function classify(req: Request, text: string): { usable: boolean; body?: unknown } {
  const form = req.is(FORM);
  let parsed: unknown;
  let usable: boolean;
  try {
    if (!form) {
      parsed = JSON.parse(text);
      usable = usableEvent(parsed);
    } else {
      const fields = parseQuery(text);
      parsed = fields;
      if (fields.ssl_check !== undefined) usable = true;
      else if (typeof fields.payload === 'string') {
        parsed = JSON.parse(fields.payload);
        usable = usableInteraction(parsed);
      } else usable = COMMAND_FIELDS.every((f) => isString(fields[f]));
    }
  } catch {
    // Signed but not JSON: Slack sent it (or its secret leaked); either way there is nothing to do.
    return { usable: false };
  }
  if (!usable) return { usable };
  // A form body whose content type carries parameters (`; charset=utf-8`): Bolt parses it as JSON.
  if (form && req.headers['content-type'] !== FORM) {
    try {
      return { usable, body: JSON.parse(text) };
    } catch {
      return { usable, body: undefined };
    }
  }
  return { usable, body: parsed };
}

/** Slack's replay window for old timestamps, as Bolt's verifier has it (future ones: request-window.ts). */
const MAX_AGE_S = 5 * 60;

/**
 * Bolt's verifySlackRequest (isValidSlackRequest), rule for rule: a `v0` signature of
 * `v0:<timestamp as a number>:<body>` under the signing secret, a timestamp at most five minutes old; with
 * node's timingSafeEqual for the comparison instead of tsscmp, which draws random bytes and computes two
 * more HMACs on every request to compare two strings in constant time.
 */
export function isSignedBySlack(
  signingSecret: string,
  body: string,
  signature: string,
  timestamp: number,
  nowMs = Date.now(),
): boolean {
  if (!signingSecret || Number.isNaN(timestamp)) return false;
  if (timestamp < Math.floor(nowMs / 1000) - MAX_AGE_S) return false;
  const [version, hash] = signature.split('=');
  if (version !== 'v0' || !hash) return false;
  const expected = Buffer.from(
    createHmac('sha256', signingSecret).update(`${version}:${timestamp}:${body}`).digest('hex'),
  );
  // Equal bytes, equal strings: the expected hex is ASCII, which no other character encodes to.
  const theirs = Buffer.from(hash);
  return theirs.length === expected.length && timingSafeEqual(theirs, expected);
}

/**
 * The body, or null past MAX_BODY_BYTES (the rest is read and dropped, so the 413 still reaches the client).
 * Events, not an async iterator: the iterator costs a promise and a resolved result per chunk, which showed
 * as a third of this gate's time under load (BENCHMARKS.md, "Event acknowledgement on the production
 * configuration").
 */
function readBody(req: Request): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.resume();
      resolve(null);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // Closed before its end (the client went away): an error, as the iterator reports it.
    const onClose = () => onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Runs before Bolt on POST /slack/events. Bolt turns a signed body it cannot read (JSON `null`, a
 * `block_actions` without its actions, …) into a 500 or a 3-second wait, and Slack counts 5xx against the
 * app. Here: an unsigned or wrongly signed delivery is a 401 and an oversized one a 413, whatever the body;
 * a signed one Lore cannot use (not JSON, or not a shape its listeners read) a 200, ignored; the rest goes on
 * with `req.body` parsed as Bolt's receiver would have (and the bytes in `req.rawBody`). This is the one
 * verification and the one parse of a delivery: next comes SlackApp's `events` handler, which hands the
 * parsed body straight to Bolt (see BENCHMARKS.md "Event acknowledgement on the production configuration").
 */
export function slackDeliveryGate(deps: { signingSecret: string; logger: Logger }): RequestHandler {
  const log = deps.logger.child({ component: 'slack' });
  return async (req, res, next) => {
    const body = await readBody(req);
    if (!body) {
      res.status(413).end();
      return;
    }
    const text = body.toString('utf8');
    const signed = isSignedBySlack(
      deps.signingSecret,
      text,
      req.get('x-slack-signature') ?? '',
      Number(req.get('x-slack-request-timestamp')),
    );
    if (!signed) {
      res.status(401).end();
      return;
    }
    const { usable, body: parsed } = classify(req, text);
    if (!usable) {
      log.info('signed Slack delivery ignored: not a shape Lore handles');
      res.status(200).end();
      return;
    }
    if (parsed === undefined) {
      log.warn('signed Slack delivery refused: its body does not parse as its content type says');
      res.status(400).end();
      return;
    }
    req.rawBody = body;
    req.body = parsed;
    next();
  };
}
