import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

function portOpen(broker: string): Promise<boolean> {
  const [host, port] = broker.split(':');
  return new Promise((done) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('tools/local-infra/kafka-mock.ts (P4.4 npm start without Docker)', () => {
  it('prints KAFKA_BROKERS for a reachable broker and takes the broker down on SIGTERM', async (ctx) => {
    const tool = spawn(resolve(root, 'node_modules/.bin/tsx'), ['tools/local-infra/kafka-mock.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    tool.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => tool.once('exit', (code) => done(code)));
    const brokers = await new Promise<string>((done, fail) => {
      tool.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /^KAFKA_BROKERS=(\S+)$/m.exec(stdout);
        if (found) done(found[1]);
      });
      void exited.then((code) => fail(new Error(`tool exited (${code}) early: ${stderr}`)));
    }).catch((error: Error) => error);

    if (brokers instanceof Error && /install kcat/.test(brokers.message)) {
      ctx.skip(`kcat is not installed here: ${brokers.message}`);
    }
    if (brokers instanceof Error) throw brokers;

    expect(brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await portOpen(brokers)).toBe(true);
    tool.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await portOpen(brokers)).toBe(false);
  });
});
