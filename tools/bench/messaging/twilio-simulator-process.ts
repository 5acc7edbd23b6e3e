/**
 * The Twilio simulator in a process of its own for `npm run bench:messaging`, so that it does not share an
 * event loop with the service or the load generator. Prints one JSON line (URL, account, pid for its CPU time), then serves
 * until stdin closes (the bench ends) or it is signalled.
 */
import { TwilioSimulator } from '@switchboard/testing';

async function main(): Promise<void> {
  // No status callbacks and no recorded requests: the bench counts sends, and recording would only grow memory.
  const simulator = await TwilioSimulator.start({ host: process.env['SIMULATOR_HOST'] || '127.0.0.1', statusCallbacks: 'none', recordRequests: false });
  process.stdout.write(`${JSON.stringify({ url: simulator.url, accountSid: simulator.account.accountSid, authToken: simulator.account.authToken, pid: process.pid })}\n`);
  const stop = () => void simulator.close().finally(() => process.exit(0));
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

void main();
