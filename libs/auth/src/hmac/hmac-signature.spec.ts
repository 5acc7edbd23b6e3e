import { describe, expect, it } from 'vitest';
import { InvalidSignatureError } from '../auth-errors';
import {
  assertValidSignature,
  signBody,
  verifySignature,
} from './hmac-signature';

const SECRET = 'whsec_test';
const BODY = '{"type":"New_Call","data":{"id":1}}';
const T = 1_700_000_000;
// Computed independently: printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac whsec_test
const OPENSSL_HEX =
  '5ec36201e5bb1754bb2e27dc0f87f25f3010aec2addfac88fe111da841617c1d';

describe('HMAC request signatures (P1.4)', () => {
  it('P1.4 signs "<t>.<body>" with HMAC-SHA256 in the t=…,v1=… format', () => {
    expect(signBody(SECRET, BODY, T)).toBe(`t=${T},v1=${OPENSSL_HEX}`);
    expect(signBody(Buffer.from(SECRET), Buffer.from(BODY), T)).toBe(
      `t=${T},v1=${OPENSSL_HEX}`,
    );
  });

  it('P1.4 accepts a good signature inside the replay window', () => {
    const header = signBody(SECRET, BODY, T);
    expect(
      verifySignature({ secret: SECRET, rawBody: BODY, header, now: T + 299 }),
    ).toEqual({ valid: true, timestamp: T });
    expect(
      assertValidSignature({
        secret: SECRET,
        rawBody: Buffer.from(BODY),
        header,
        now: T,
      }),
    ).toBe(T);
  });

  it('P1.4 refuses a changed body, a wrong secret or a forged hex', () => {
    const header = signBody(SECRET, BODY, T);
    expect(
      verifySignature({ secret: SECRET, rawBody: `${BODY} `, header, now: T }),
    ).toEqual({ valid: false, reason: 'mismatch' });
    expect(
      verifySignature({ secret: 'other', rawBody: BODY, header, now: T }),
    ).toEqual({ valid: false, reason: 'mismatch' });
    const forged = `t=${T},v1=${'0'.repeat(64)}`;
    expect(
      verifySignature({
        secret: SECRET,
        rawBody: BODY,
        header: forged,
        now: T,
      }),
    ).toMatchObject({ reason: 'mismatch' });
  });

  it('P1.4 the timestamp is signed: moving it breaks the signature', () => {
    const header = signBody(SECRET, BODY, T).replace(`t=${T}`, `t=${T + 10}`);
    expect(
      verifySignature({ secret: SECRET, rawBody: BODY, header, now: T }),
    ).toMatchObject({ reason: 'mismatch' });
  });

  it('P1.4 refuses stale and far-future signatures (configurable window)', () => {
    const header = signBody(SECRET, BODY, T);
    expect(
      verifySignature({ secret: SECRET, rawBody: BODY, header, now: T + 301 }),
    ).toEqual({ valid: false, reason: 'stale' });
    expect(
      verifySignature({ secret: SECRET, rawBody: BODY, header, now: T - 301 }),
    ).toEqual({ valid: false, reason: 'stale' });
    expect(
      verifySignature({
        secret: SECRET,
        rawBody: BODY,
        header,
        now: T + 50,
        toleranceSec: 30,
      }),
    ).toMatchObject({
      reason: 'stale',
    });
    expect(
      verifySignature({
        secret: SECRET,
        rawBody: BODY,
        header,
        now: T + 3000,
        toleranceSec: 3600,
      }),
    ).toMatchObject({
      valid: true,
    });
  });

  it('P1.4 missing or malformed headers are reported as such', () => {
    for (const header of [undefined, '', '  ']) {
      expect(
        verifySignature({ secret: SECRET, rawBody: BODY, header, now: T }),
      ).toEqual({ valid: false, reason: 'missing' });
    }
    for (const header of [
      `v1=${OPENSSL_HEX}`,
      `t=${T}`,
      `t=abc,v1=${OPENSSL_HEX}`,
      `t=${T},v1=xyz`,
      'garbage',
    ]) {
      expect(
        verifySignature({ secret: SECRET, rawBody: BODY, header, now: T }),
      ).toEqual({ valid: false, reason: 'malformed' });
    }
  });

  it('P1.4 accepts any of several secrets (rotation) and any of several v1 values', () => {
    const header = signBody('new-secret', BODY, T);
    expect(
      verifySignature({
        secret: ['old-secret', 'new-secret'],
        rawBody: BODY,
        header,
        now: T,
      }),
    ).toMatchObject({ valid: true });
    const twoSignatures = `t=${T},v1=${'a'.repeat(64)},v0=whatever,v1=${OPENSSL_HEX}`;
    expect(
      verifySignature({
        secret: SECRET,
        rawBody: BODY,
        header: twoSignatures,
        now: T,
      }),
    ).toMatchObject({ valid: true });
  });

  it('P1.4 signs raw bytes, not text: binary bodies work', () => {
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    const header = signBody(SECRET, binary, T);
    expect(
      verifySignature({ secret: SECRET, rawBody: binary, header, now: T }),
    ).toMatchObject({ valid: true });
    expect(
      verifySignature({
        secret: SECRET,
        rawBody: binary.toString('utf8'),
        header,
        now: T,
      }),
    ).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('P1.4 assertValidSignature throws InvalidSignatureError (401) with the reason', () => {
    const header = signBody(SECRET, BODY, T);
    let thrown: unknown;
    try {
      assertValidSignature({
        secret: SECRET,
        rawBody: BODY,
        header,
        now: T + 1000,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSignatureError);
    expect(thrown).toMatchObject({
      status: 401,
      code: 'InvalidSignature',
      reason: 'stale',
    });
  });

  it('P1.4 refuses to sign or verify with an empty secret', () => {
    expect(() => signBody('', BODY, T)).toThrow(/secret/);
    expect(() =>
      verifySignature({
        secret: '',
        rawBody: BODY,
        header: signBody(SECRET, BODY, T),
        now: T,
      }),
    ).toThrow(/secret/);
  });
});
