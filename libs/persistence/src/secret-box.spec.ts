import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';

describe('SecretBox (P2.4 secrets encrypted at rest)', () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret and never stores the plaintext', () => {
    const sealed = box.seal('s3cr3t-value');
    expect(sealed).not.toContain('s3cr3t');
    expect(box.open(sealed)).toBe('s3cr3t-value');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered ciphertext and a wrong key', () => {
    const sealed = box.seal('value');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('other').toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(SecretBox.generateKey()).open(sealed)).toThrow();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(Buffer.from('short').toString('base64'))).toThrow(/32 bytes/);
  });
});
