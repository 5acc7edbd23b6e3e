/**
 * The reference CRM simulator in a process of its own for `npm run bench:engine` (so it does not share an
 * event loop with the engine it serves). Prints one JSON line with its URL, then serves until stdin closes.
 */
import { CrmSimulator } from '@switchboard/testing';

async function main(): Promise<void> {
  const simulator = await CrmSimulator.start({
    host: process.env['SIMULATOR_HOST'] || '127.0.0.1',
    auth: { type: 'basic', username: 'bench', password: 'bench-password' },
    accounts: [{ id: 'acc_bench', name: 'Bench Caller', Phone: '+12125550123', Email: 'bench@example.com' }],
  });
  process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
  // Nobody reads the recorded requests during a benchmark: drop them as they come.
  const trim = setInterval(() => simulator.requests.splice(0), 1_000);
  const stop = () => {
    clearInterval(trim);
    void simulator.close().finally(() => process.exit(0));
  };
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

void main();
