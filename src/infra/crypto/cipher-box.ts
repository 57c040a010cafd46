import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type AppError, decryptFailed as decryptFailedError } from '../../errors.js';

/** One AES-256 key: its id (stored beside every ciphertext it writes) and 32 raw bytes. */
export interface CipherKey {
  id: string;
  key: Buffer;
}

/**
 * Where a secret lives: table, column and owning tenant. It is the ciphertext's associated data, so a
 * value copied into another tenant's row, or another column, no longer decrypts.
 */
export const secretContext = (table: string, column: string, tenantId: string) =>
  `lore.${table}.${column}:${tenantId}`;

/**
 * Encrypts secrets at rest (Slack tokens, tenants' OpenAI keys) with AES-256-GCM, bound to where they are
 * stored (`secretContext`, as GCM associated data). A value is
 * `<key id>:<iv>:<auth tag>:<ciphertext>:b` (base64url parts; `b` = bound), so any configured key can read
 * it and rotation can tell which values still use an old key. Values from before binding have four parts
 * and no associated data: they are still read, and rotation rewrites them bound.
 */
export interface CipherBox {
  /** The id of the key new values are written with (the first configured key). */
  readonly activeKeyId: string;
  /** Encrypts with the active key and a fresh random 12-byte IV, bound to `context`. */
  encrypt(plaintext: string, context: string): string;
  /** Decrypts a value written with any configured key for this `context`; AppError `decrypt_failed` otherwise. */
  decrypt(value: string, context: string): string;
  /** True when the value was written with a key other than the active one, or before binding. */
  needsRotation(value: string): boolean;
  /** The key id a value names, or undefined when it is not in this format. */
  keyIdOf(value: string): string | undefined;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The fifth part of a value bound to its context (values from before binding have four parts). */
const BOUND = 'b';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
// The database refuses values that look like plaintext tokens or keys; a key id must never make one.
const PLAINTEXT_PREFIXES = /^(xox|sk-)/i;

function decryptFailed(keyId: string | undefined, cause?: unknown): AppError {
  // Never include the value or the plaintext: the message reaches logs and the audit trail.
  return decryptFailedError(
    keyId === undefined
      ? 'A stored secret is not in the expected encrypted format'
      : `A stored secret could not be decrypted with key "${keyId}"`,
    cause,
  );
}

/** Creates a cipher box over the configured keys, active key first (ENCRYPTION_KEYS order). */
export function createCipherBox(keys: CipherKey[]): CipherBox {
  const active = keys[0];
  if (!active) throw new Error('createCipherBox: at least one encryption key is required');
  const byId = new Map<string, Buffer>();
  for (const k of keys) {
    if (!KEY_ID.test(k.id) || PLAINTEXT_PREFIXES.test(k.id)) {
      throw new Error(
        `Encryption key id "${k.id}" is not allowed (letters, digits, _ and -; not xox… or sk-…)`,
      );
    }
    if (k.key.length !== 32) throw new Error(`Encryption key "${k.id}" must be 32 bytes`);
    byId.set(k.id, k.key);
  }

  function parse(
    value: string,
  ): { keyId: string; iv: Buffer; tag: Buffer; data: Buffer; bound: boolean } | undefined {
    const parts = value.split(':');
    const bound = parts.length === 5 && parts[4] === BOUND;
    if (parts.length !== 4 && !bound) return undefined;
    const [keyId, iv, tag, data] = parts as [string, string, string, string];
    if (!KEY_ID.test(keyId)) return undefined;
    return {
      bound,
      keyId,
      iv: Buffer.from(iv, 'base64url'),
      tag: Buffer.from(tag, 'base64url'),
      data: Buffer.from(data, 'base64url'),
    };
  }

  return {
    activeKeyId: active.id,

    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        active.id,
        iv.toString('base64url'),
        tag.toString('base64url'),
        data.toString('base64url'),
        BOUND,
      ].join(':');
    },

    decrypt(value, context) {
      const parsed = parse(value);
      if (!parsed) throw decryptFailed(undefined);
      const key = byId.get(parsed.keyId);
      if (!key || parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
        throw decryptFailed(parsed.keyId);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv);
        decipher.setAuthTag(parsed.tag);
        // A bound value only opens where it was written; an old unbound one has no associated data.
        if (parsed.bound) decipher.setAAD(Buffer.from(context, 'utf8'));
        return Buffer.concat([decipher.update(parsed.data), decipher.final()]).toString('utf8');
      } catch {
        // The cause is dropped on purpose: OpenSSL's message adds nothing and must not tempt anyone to log data.
        throw decryptFailed(parsed.keyId);
      }
    },

    needsRotation(value) {
      const parsed = parse(value);
      return parsed?.keyId !== active.id || !parsed.bound;
    },

    keyIdOf(value) {
      return parse(value)?.keyId;
    },
  };
}
