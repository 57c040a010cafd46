import type { Request } from 'express';
import { forbidden } from '../../errors.js';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when the TCP peer is this machine (the socket's address: X-Forwarded-For cannot fake it). */
export function fromLoopback(req: Request): boolean {
  return LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '');
}

// Headers a reverse proxy or tunnel (cloudflared, ngrok) adds when it relays someone else's request.
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'cf-connecting-ip'];

/**
 * True when the request was typed on this machine: a loopback peer that is not a local proxy or tunnel
 * relaying a request from elsewhere (those connect from loopback too, and say so in forwarding headers).
 */
export function fromThisMachine(req: Request): boolean {
  return fromLoopback(req) && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

/**
 * True when the Host header names this server: PUBLIC_URL's host, or a loopback name. A DNS-rebinding page
 * reaches a loopback server under its own name (`evil.example`), so a request for any other name is refused.
 */
export function hostIsOurs(req: Request, publicUrl: string): boolean {
  const raw = req.headers.host;
  if (!raw) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${raw}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK_NAMES.has(hostname) || hostname === new URL(publicUrl).hostname.toLowerCase();
}

/** Throws 403 unless the request names this server in its Host header (see hostIsOurs). */
export function requireOwnHost(req: Request, publicUrl: string): void {
  if (!hostIsOurs(req, publicUrl))
    throw forbidden('This endpoint answers only to its own host name (PUBLIC_URL or localhost)');
}
