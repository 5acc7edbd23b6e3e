import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedMail, SmtpPeer } from '@switchboard/testing';

/** One received e-mail as the inbox lists it. */
export interface InboxEntry {
  id: number;
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  date: string | undefined;
  /** Where its text is: `<inbox>/messages/<id>`. */
  url: string;
}

export interface MailInbox {
  url: string;
  close(): Promise<void>;
}

export function inboxEntries(received: ReceivedMail[], inboxUrl: string): InboxEntry[] {
  return received.map(({ envelope, mail }, index) => ({
    id: index + 1,
    from: envelope.from,
    to: envelope.to,
    subject: mail.subject,
    date: mail.date?.toISOString(),
    url: `${inboxUrl}/messages/${index + 1}`,
  }));
}

/**
 * A way to read what the SMTP peer received: `GET /messages` lists the mails (JSON, oldest first),
 * `GET /messages/<id>` is one mail's headers and text (text/plain), for a browser or curl.
 */
export async function startMailInbox(smtp: SmtpPeer, host: string, port: number): Promise<MailInbox> {
  let url = '';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://inbox').pathname.replace(/\/$/, '');
    if (request.method !== 'GET') return void response.writeHead(405).end();
    if (path === '' || path === '/messages') {
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages: inboxEntries(smtp.received, url) }, null, 2));
    }
    const id = /^\/messages\/(\d+)$/.exec(path)?.[1];
    const received = id === undefined ? undefined : smtp.received[Number(id) - 1];
    if (!received) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('No such message.\n');
    const { envelope, mail } = received;
    const headers = [`From: ${envelope.from ?? ''}`, `To: ${envelope.to.join(', ')}`, `Subject: ${mail.subject ?? ''}`, `Date: ${mail.date?.toISOString() ?? ''}`];
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`${headers.join('\n')}\n\n${mail.text ?? ''}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
