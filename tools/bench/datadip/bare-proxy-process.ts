/**
 * The data dip's ceiling on this machine, for `npm run bench:datadip`: a bare node:http server in a process of
 * its own that answers each POST by making the same two Dataverse queries with undici (bareDataDip), with
 * nothing else around them. Any service between the load generator and the simulator costs at least this hop:
 * its ratio to the bare client is the most a service can reach here. Prints one JSON line with its URL, then
 * serves until stdin closes or it is signalled.
 */
import { createServer } from 'node:http';
import { Agent } from 'undici';
import { bareDataDip, type SimulatorInfo, simulatorToken } from './datadip-operations';

const ANSWER = JSON.stringify({ outcome: 'case_found' });

async function main(): Promise<void> {
  const simulator = JSON.parse(process.env['DATADIP_SIMULATOR'] ?? '{}') as SimulatorInfo;
  const dispatcher = new Agent({ connections: 64 });
  const dip = bareDataDip(simulator, await simulatorToken(simulator, dispatcher), dispatcher);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      dip().then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER),
        (error: Error) => response.writeHead(502, { 'content-type': 'text/plain' }).end(error.message),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

void main();
