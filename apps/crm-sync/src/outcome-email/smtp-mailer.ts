import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { CrmSyncConfig } from '../config';

/** Sends mail through the deployment's SMTP server (OUTCOME_EMAIL_SMTP_URL) with nodemailer, one pooled transport. */
@Injectable()
export class SmtpMailer implements OnApplicationShutdown {
  private readonly transport: Transporter | undefined;

  constructor(config: CrmSyncConfig) {
    this.transport = config.OUTCOME_EMAIL_SMTP_URL ? createTransport(transportOptions(new URL(config.OUTCOME_EMAIL_SMTP_URL))) : undefined;
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  /** The server's message id; throws what the SMTP server or the connection said. */
  async send(message: SendMailOptions): Promise<string> {
    if (!this.transport) throw new Error('OUTCOME_EMAIL_SMTP_URL is not set');
    const info = (await this.transport.sendMail(message)) as { messageId: string };
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

/** smtp://user:password@host:port (STARTTLS when the server offers it) or smtps:// (TLS from the start); bounded waits. */
function transportOptions(url: URL): SMTPTransport.Options {
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}
