import { SIGNATURE_HEADER, signBody } from '@switchboard/auth';
import { DialAccepted, DialRejectedError, DialRequest, VoiceRuntimeProvider } from './voice-runtime';

export const HTTP_PROVIDER_NAME = 'http';
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpVoiceRuntimeOptions {
  /** Where dial requests are POSTed (VOICE_HTTP_URL). */
  url: string;
  /** Signs every request body (VOICE_HTTP_SIGNING_SECRET); never logged. */
  signingSecret: string;
  /** Whole exchange, body included (VOICE_HTTP_TIMEOUT_MS). */
  timeoutMs: number;
  maxResponseBytes?: number;
}

/**
 * 4xx statuses that say "not now" rather than "never": the dispatcher should retry these, as it
 * does 5xx, instead of failing the attempt.
 */
const TRANSIENT_CLIENT_STATUSES = new Set([408, 425, 429]);

/**
 * A voice runtime behind a signed-JSON HTTP endpoint (PD4.3). Each dial is POSTed as JSON with
 * `Idempotency-Key: <attemptId>` and an HMAC signature of the exact body (P1.4); the outcome comes
 * back later through the signed webhook. Errors are sorted for the dispatcher: a 4xx refusal throws
 * DialRejectedError (permanent); 5xx, 3xx, timeouts, network failures and unreadable answers throw
 * a plain Error (transient: the same attemptId may be sent again).
 */
export class HttpVoiceRuntime implements VoiceRuntimeProvider {
  readonly name = HTTP_PROVIDER_NAME;
  /** The URL without query or credentials, safe for error messages and logs. */
  private readonly target: string;

  constructor(private readonly options: HttpVoiceRuntimeOptions) {
    const url = new URL(options.url);
    if (url.username || url.password) throw new Error('VOICE_HTTP_URL must not carry credentials; requests are authenticated by their signature');
    if (!options.signingSecret) throw new Error('The HTTP voice runtime needs a signing secret (VOICE_HTTP_SIGNING_SECRET)');
    this.target = `${url.origin}${url.pathname}`;
  }

  async dial(request: DialRequest): Promise<DialAccepted> {
    const body = JSON.stringify(request);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          [IDEMPOTENCY_KEY_HEADER]: request.attemptId,
          [SIGNATURE_HEADER]: signBody(this.options.signingSecret, body),
        },
        body,
        // A redirect could carry the signed request somewhere unintended; it is refused instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw this.transient(`could not be reached (${describeFetchError(error)})`, error);
    }
    const text = await this.readCapped(response);
    if (response.status >= 200 && response.status < 300) return { providerCallId: this.callIdIn(text, response.status) };
    if (response.status >= 400 && response.status < 500 && !TRANSIENT_CLIENT_STATUSES.has(response.status))
      throw new DialRejectedError(`Voice runtime ${this.target} refused the dial with ${response.status}${excerpt(text)}`);
    throw this.transient(`answered ${response.status}${excerpt(text)}`);
  }

  /** The body as text, refusing more than maxResponseBytes so a rogue endpoint cannot flood memory. */
  private async readCapped(response: Response): Promise<string> {
    const max = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw this.transient(`answered ${response.status} but its body could not be read (${describeFetchError(error)})`, error);
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        throw this.transient(`answered ${response.status} with a body larger than ${max} bytes`);
      }
      chunks.push(chunk.value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private callIdIn(text: string, status: number): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.transient(`answered ${status} without a JSON body`);
    }
    const callId = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['callId'] : undefined;
    if (typeof callId !== 'string' || callId.length === 0 || callId.length > 256)
      throw this.transient(`answered ${status} without a callId (a non-empty string of up to 256 characters)`);
    return callId;
  }

  private transient(problem: string, cause?: unknown): Error {
    return new Error(`Voice runtime ${this.target} ${problem}`, cause === undefined ? undefined : { cause });
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  // undici hides the network reason (ECONNREFUSED, …) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A short, single-line piece of the provider's answer, to say why without echoing a whole page. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '';
  return `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
