import { signBody, verifySignature } from '@switchboard/auth';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface VoiceRuntimePeerOptions {
  signingSecret: string;
  webhookSecret: string;
  /** Where outcomes go; asked at each report, since the service may have been restarted meanwhile. */
  outcomesUrl: () => string;
}

/**
 * A signed-HTTP voice runtime (PD4.3) as a real one behaves: the Idempotency-Key (the attempt id) identifies a call,
 * so a dial request repeated after a crash places no second call and gets the same call id; the outcome is reported
 * by signed webhook and retried until the service takes it. It counts the calls placed, per delivery.
 */
export class VoiceRuntimePeer {
  /** Calls placed: delivery id → attempt ids (each a distinct call). */
  readonly callsByDelivery = new Map<string, Set<string>>();
  private server: Server | undefined;
  private closed = false;

  constructor(private readonly options: VoiceRuntimePeerOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (!verifySignature({ secret: this.options.signingSecret, rawBody: raw, header: req.headers['x-switchboard-signature'] }).valid) {
          res.writeHead(401).end();
          return;
        }
        const dial = JSON.parse(raw.toString()) as { attemptId: string; deliveryId: string };
        const attemptId = String(req.headers['idempotency-key'] ?? dial.attemptId);
        const calls = this.callsByDelivery.get(dial.deliveryId) ?? new Set<string>();
        calls.add(attemptId);
        this.callsByDelivery.set(dial.deliveryId, calls);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ callId: `call-${attemptId}` }));
        // A repeated request re-reports the outcome too: the service may have lost the first report in a crash.
        void this.reportOutcome(attemptId);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dial`;
  }

  get callsPlaced(): number {
    let total = 0;
    for (const calls of this.callsByDelivery.values()) total += calls.size;
    return total;
  }

  private async reportOutcome(attemptId: string): Promise<void> {
    const body = JSON.stringify({ attemptId, outcome: 'answered', providerCallId: `call-${attemptId}` });
    // Providers retry webhooks with back-off; bounded so that a stopped run ends.
    for (let attempt = 0; attempt < 30 && !this.closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5_000)));
      try {
        const response = await fetch(this.options.outcomesUrl(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-switchboard-signature': signBody(this.options.webhookSecret, body) },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) return;
      } catch {
        // The service is down (killed) or its database is: try again later.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
