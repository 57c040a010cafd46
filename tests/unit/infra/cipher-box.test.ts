import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipherBox, secretContext } from '../../../src/infra/crypto/cipher-box.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const HERE = secretContext('installations', 'bot_token_encrypted', 'tenant-a');
const decryptFailed = expect.objectContaining({ code: 'decrypt_failed' });

/** A value as Lore wrote it before ciphertexts were bound to their row: four parts, no associated data. */
function unboundValue(key: { id: string; key: Buffer }, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key.key, iv);
  const data = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return [key.id, iv, c.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

describe('cipher box (AES-256-GCM with key ids, bound to where each value is stored)', () => {
  it('round-trips a token and never stores it readable', () => {
    const box = createCipherBox([k1]);
    const sealed = box.encrypt(TOKEN, HERE);
    expect(box.decrypt(sealed, HERE)).toBe(TOKEN);
    expect(sealed).not.toContain('xoxb');
    expect(sealed).not.toMatch(/^(xox|sk-)/);
    expect(sealed.split(':')).toHaveLength(5);
    expect(sealed.startsWith('k1:')).toBe(true);
  });

  it('refuses a value moved to another tenant, table or column', () => {
    const box = createCipherBox([k1]);
    const sealed = box.encrypt(TOKEN, HERE);
    for (const elsewhere of [
      secretContext('installations', 'bot_token_encrypted', 'tenant-b'),
      secretContext('installations', 'user_token_encrypted', 'tenant-a'),
      secretContext('tenant_settings', 'openai_key_encrypted', 'tenant-a'),
    ]) {
      expect(() => box.decrypt(sealed, elsewhere)).toThrow(decryptFailed);
    }
    // Dropping the binding marker does not help either: the tag covers the associated data.
    expect(() => box.decrypt(sealed.split(':').slice(0, 4).join(':'), HERE)).toThrow(decryptFailed);
  });

  it('still reads values written before binding, and flags them for rotation, which binds them', () => {
    const box = createCipherBox([k1]);
    const old = unboundValue(k1, TOKEN);
    expect(box.decrypt(old, HERE)).toBe(TOKEN);
    expect(box.needsRotation(old)).toBe(true);
    const resealed = box.encrypt(box.decrypt(old, HERE), HERE);
    expect(box.needsRotation(resealed)).toBe(false);
    expect(() => box.decrypt(resealed, secretContext('x', 'y', 'z'))).toThrow(decryptFailed);
  });

  it('uses a fresh IV each time, so equal tokens give different ciphertexts', () => {
    const box = createCipherBox([k1]);
    const a = box.encrypt(TOKEN, HERE);
    const b = box.encrypt(TOKEN, HERE);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(Buffer.from(a.split(':')[1] ?? '', 'base64url')).toHaveLength(12);
  });

  it('decrypts values written with an older key until it is removed, and flags them for rotation', () => {
    const old = createCipherBox([k1]).encrypt(TOKEN, HERE);
    const rotated = createCipherBox([k2, k1]);
    expect(rotated.decrypt(old, HERE)).toBe(TOKEN);
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt(TOKEN, HERE);
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(rotated.keyIdOf(fresh)).toBe('k2');
    expect(() => createCipherBox([k2]).decrypt(old, HERE)).toThrow(decryptFailed);
  });

  it('refuses tampered data with decrypt_failed and a message that holds no secret', () => {
    const box = createCipherBox([k1]);
    const sealed = box.encrypt(TOKEN, HERE);
    const [id, iv, tag, data, bound] = sealed.split(':') as [string, string, string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = [id, iv, tag, flipped.toString('base64url'), bound].join(':');
    let caught: unknown;
    try {
      box.decrypt(tampered, HERE);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'decrypt_failed', expose: false });
    const text = `${(caught as Error).message} ${JSON.stringify(caught)}`;
    expect(text).not.toContain(data);
    expect(text).not.toContain('xoxb');
  });

  it('refuses unknown key ids and malformed values with decrypt_failed', () => {
    const box = createCipherBox([k1]);
    const foreign = createCipherBox([{ id: 'other', key: randomBytes(32) }]).encrypt(TOKEN, HERE);
    expect(() => box.decrypt(foreign, HERE)).toThrow(decryptFailed);
    expect(() => box.decrypt(TOKEN, HERE)).toThrow(decryptFailed);
    expect(() => box.decrypt('k1:short:short:xx', HERE)).toThrow(decryptFailed);
    expect(() => box.decrypt('k1:a:b:c:z', HERE)).toThrow(decryptFailed);
  });

  it('rejects key ids that would make a ciphertext look like a plaintext token', () => {
    expect(() => createCipherBox([{ id: 'xoxb', key: randomBytes(32) }])).toThrow(/not allowed/);
    expect(() => createCipherBox([{ id: 'sk-1', key: randomBytes(32) }])).toThrow(/not allowed/);
    expect(() => createCipherBox([{ id: 'k1', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => createCipherBox([])).toThrow(/at least one/);
  });
});
