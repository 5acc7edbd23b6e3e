/**
 * The Dataverse + Entra simulator in a process of its own for `npm run bench:datadip`, so that it does
 * not share an event loop with the load generator. Prints one JSON line with its URL, then serves until
 * stdin closes (the bench ends) or it is signalled.
 */
import { DataverseSimulator } from '@switchboard/testing';

async function main(): Promise<void> {
  const simulator = await DataverseSimulator.start({ host: process.env['SIMULATOR_HOST'] || '127.0.0.1' });
  // Nobody reads the requests during a benchmark: recording would only grow memory.
  simulator.recording = false;
  process.stdout.write(`${JSON.stringify({ url: simulator.url, entraTenantId: simulator.entraTenantId, clientId: simulator.clientId })}\n`);
  const stop = () => void simulator.close().finally(() => process.exit(0));
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

void main();
