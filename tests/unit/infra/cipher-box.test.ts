import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipherBox } from '../../../src/infra/crypto/cipher-box.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

describe('cipher box (AES-256-GCM with key ids)', () => {
  it('round-trips a token and never stores it readable', () => {
    const box = createCipherBox([k1]);
    const sealed = box.encrypt(TOKEN);
    expect(box.decrypt(sealed)).toBe(TOKEN);
    expect(sealed).not.toContain('xoxb');
    expect(sealed).not.toMatch(/^(xox|sk-)/);
    expect(sealed.split(':')).toHaveLength(4);
    expect(sealed.startsWith('k1:')).toBe(true);
  });

  it('uses a fresh IV each time, so equal tokens give different ciphertexts', () => {
    const box = createCipherBox([k1]);
    const a = box.encrypt(TOKEN);
    const b = box.encrypt(TOKEN);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(Buffer.from(a.split(':')[1] ?? '', 'base64url')).toHaveLength(12);
  });

  it('decrypts values written with an older key until it is removed, and flags them for rotation', () => {
    const old = createCipherBox([k1]).encrypt(TOKEN);
    const rotated = createCipherBox([k2, k1]);
    expect(rotated.decrypt(old)).toBe(TOKEN);
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt(TOKEN);
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(rotated.keyIdOf(fresh)).toBe('k2');

    const withoutOld = createCipherBox([k2]);
    expect(() => withoutOld.decrypt(old)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });

  it('refuses tampered data with decrypt_failed and a message that holds no secret', () => {
    const box = createCipherBox([k1]);
    const sealed = box.encrypt(TOKEN);
    const [id, iv, tag, data] = sealed.split(':') as [string, string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = [id, iv, tag, flipped.toString('base64url')].join(':');
    let caught: unknown;
    try {
      box.decrypt(tampered);
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
    const foreign = createCipherBox([{ id: 'other', key: randomBytes(32) }]).encrypt(TOKEN);
    expect(() => box.decrypt(foreign)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(() => box.decrypt(TOKEN)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    expect(() => box.decrypt('k1:short:short:xx')).toThrow(
      expect.objectContaining({ code: 'decrypt_failed' }),
    );
  });

  it('rejects key ids that would make a ciphertext look like a plaintext token', () => {
    expect(() => createCipherBox([{ id: 'xoxb', key: randomBytes(32) }])).toThrow(/not allowed/);
    expect(() => createCipherBox([{ id: 'sk-1', key: randomBytes(32) }])).toThrow(/not allowed/);
    expect(() => createCipherBox([{ id: 'k1', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => createCipherBox([])).toThrow(/at least one/);
  });
});
