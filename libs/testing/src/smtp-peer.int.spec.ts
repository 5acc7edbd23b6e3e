import { connect } from 'node:net';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpPeer } from './smtp-peer';

describe('SmtpPeer (the test SMTP server)', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await SmtpPeer.start();
  });
  afterAll(() => peer.close());

  it('survives a client reset mid-session (a killed sender) and keeps accepting mail', async () => {
    const socket = connect(peer.port, peer.host);
    await new Promise<void>((resolve) => socket.once('data', () => resolve())); // the 220 greeting
    socket.write('EHLO dying.example\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.resetAndDestroy(); // RST, as the kernel sends for a SIGKILLed process with unread data
    await new Promise((resolve) => setTimeout(resolve, 200));

    await createTransport({ host: peer.host, port: peer.port, secure: false, ignoreTLS: true }).sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'after the reset', text: 'still here' });
    expect(peer.received.map((received) => received.mail.subject)).toEqual(['after the reset']);
  });
});
