import { TwilioSimulator } from '@switchboard/testing';
import { createServer } from 'node:net';
import { MessageSender } from '../sending/message-sender.service';
import { type MessagingTestApp, startMessagingTestApp } from './test-app';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The app with a Twilio simulator as its `simulator` provider and its own address as PUBLIC_BASE_URL, so
 * that signed callbacks and inbound messages reach it. The sender is stopped: tests send with runOnce().
 */
export async function startAppWithTwilio(): Promise<{ twilio: TwilioSimulator; app: MessagingTestApp }> {
  const twilio = await TwilioSimulator.start({ statusStepDelayMs: 5 });
  const port = await freePort();
  const app = await startMessagingTestApp({
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    SEND_POLL_MS: '60000',
    OUTBOUND_HTTP_ALLOW: '127.0.0.1',
    MESSAGING_SIMULATOR_URL: twilio.url,
    MESSAGING_SIMULATOR_ACCOUNT_SID: twilio.account.accountSid,
    MESSAGING_SIMULATOR_AUTH_TOKEN: twilio.account.authToken,
  });
  await app.app.get(MessageSender).stop();
  return { twilio, app };
}
