import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the peer accepted: the envelope and the parsed mail (headers, text, attachments). */
export interface ReceivedMail {
  envelope: { from: string | undefined; to: string[] };
  mail: ParsedMail;
}

/**
 * A real SMTP server (npm `smtp-server`) on a free loopback port that keeps what it receives, parsed with
 * `mailparser`: the test peer for code that sends mail with nodemailer. No STARTTLS, authentication optional.
 * `failNext(code, message)` answers the next message's DATA with that SMTP error (e.g. 451 to test retries).
 */
export class SmtpPeer {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly host: string,
    readonly received: ReceivedMail[],
    private readonly failures: { code: number; message: string }[],
    /** Errors of client connections (resets, broken sessions), kept for a test to look at. */
    readonly connectionErrors: Error[],
  ) {}

  static async start(host = '127.0.0.1'): Promise<SmtpPeer> {
    const received: ReceivedMail[] = [];
    const failures: { code: number; message: string }[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            const failure = failures.shift();
            if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
            const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) };
            received.push({ envelope, mail });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    server.removeAllListeners('error');
    // A client that dies mid-session (a SIGKILLed service: ECONNRESET) is the client's failure, not the peer's:
    // without a listener smtp-server's 'error' event would end the process that hosts the peer.
    const connectionErrors: Error[] = [];
    server.on('error', (error: Error) => connectionErrors.push(error));
    return new SmtpPeer(server, (server.server.address() as AddressInfo).port, host, received, failures, connectionErrors);
  }

  /** smtp://host:port for nodemailer. */
  get url(): string {
    return `smtp://${this.host}:${this.port}`;
  }

  failNext(code: number, message: string): void {
    this.failures.push({ code, message });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
