import { createHash } from 'node:crypto';

/** An answer as the simulator sends it, kept to be sent again for a repeated request. */
export interface StoredAnswer {
  status: number;
  payload?: unknown;
}

/** What a request carrying an Idempotency-Key comes to. */
export type KeyedRequest =
  /** First seen (or its first try made no change): handle it, then `complete`. */
  | { kind: 'first' }
  /** The same key and the same request as one that took effect: its stored answer, nothing done again. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** The same key with another method, path or body: 422, the way Stripe and the IETF draft answer it. */
  | { kind: 'mismatch' }
  /** The first request with this key is still being handled: 409, try again later. */
  | { kind: 'in_progress' };

interface Entry {
  fingerprint: string;
  answer?: StoredAnswer;
}

/**
 * The reference CRM's Idempotency-Key handling (draft-ietf-httpapi-idempotency-key-header, as Stripe and similar APIs
 * do it): the first request with a key is handled and, when it took effect (a 2xx), its answer is kept; a request with
 * the same key and the same content gets that answer again and changes nothing.
 */
export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();
  /** Requests answered from a stored answer instead of being handled again. */
  replays = 0;

  begin(key: string, fingerprint: string): KeyedRequest {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint });
      return { kind: 'first' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.answer) return { kind: 'in_progress' };
    this.replays++;
    return { kind: 'replay', answer: entry.answer };
  }

  /** Keeps a 2xx answer for the key; after any other answer (nothing changed) the key may be used afresh. */
  complete(key: string, answer: StoredAnswer): void {
    if (answer.status >= 200 && answer.status < 300) this.entries.set(key, { fingerprint: this.entries.get(key)?.fingerprint ?? '', answer });
    else this.entries.delete(key);
  }
}

/**
 * What makes two requests "the same": method, path and content. A multipart form is compared by its parts, not its
 * bytes, since every try draws a new boundary; a JSON body by its text (a client sends the same text again).
 */
export async function requestFingerprint(method: string, path: string, contentType: string, bytes: Buffer): Promise<string> {
  const hash = createHash('sha256').update(`${method} ${path}\n`);
  const form = contentType.startsWith('multipart/form-data')
    ? await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData().catch(() => undefined)
    : undefined;
  if (!form) return hash.update(bytes).digest('hex');
  for (const [name, value] of form) {
    const content = typeof value === 'string' ? value : `${value.name}\n${value.type}\n${createHash('sha256').update(Buffer.from(await value.arrayBuffer())).digest('hex')}`;
    hash.update(`${JSON.stringify(name)}=${JSON.stringify(content)}\n`);
  }
  return hash.digest('hex');
}
