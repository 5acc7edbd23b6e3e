import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICES } from '../stack/services';
import { isPortFree, servicePorts, takenPortProblems } from './ports';
import { StartError } from './start-error';

describe('npm start ports (P4.4)', () => {
  let occupied: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve()));
    occupied = undefined;
  });

  it('P4.4 uses the default ports 3001–3005 when SWITCHBOARD_PORT_BASE is unset or blank', () => {
    expect(servicePorts({})).toEqual(SERVICES.map(({ name, port }) => ({ name, port })));
    expect(servicePorts({ SWITCHBOARD_PORT_BASE: ' ' }).map(({ port }) => port)).toEqual([3001, 3002, 3003, 3004, 3005]);
  });

  it('P4.4 moves all five ports with SWITCHBOARD_PORT_BASE, keeping the service order', () => {
    expect(servicePorts({ SWITCHBOARD_PORT_BASE: '4000' })).toEqual([
      { name: 'proactive-delivery', port: 4001 },
      { name: 'outbound-messaging', port: 4002 },
      { name: 'crm-sync', port: 4003 },
      { name: 'storage-export', port: 4004 },
      { name: 'event-bridge', port: 4005 },
    ]);
  });

  it.each(['abc', '-1', '0', '4000.5', '65531'])('P4.4 rejects SWITCHBOARD_PORT_BASE=%s with one sentence', (value) => {
    expect(() => servicePorts({ SWITCHBOARD_PORT_BASE: value })).toThrow(StartError);
    expect(() => servicePorts({ SWITCHBOARD_PORT_BASE: value })).toThrow(/^SWITCHBOARD_PORT_BASE must be a whole number from 1 to 65530/);
  });

  it('P4.4 names the taken port, its service and the way out in one sentence', async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied?.listen(0, '127.0.0.1', resolve));
    const port = (occupied.address() as { port: number }).port;

    expect(await isPortFree(port)).toBe(false);
    const problems = await takenPortProblems([{ name: 'crm-sync', port }]);

    expect(problems).toEqual([
      `Ports: ${port} (crm-sync) is already in use — stop what listens there (another \`npm start\`?) or set SWITCHBOARD_PORT_BASE=4000 to use ports 4001–4005.`,
    ]);
  });

  it('P4.4 reports nothing when every port is free', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    expect(await takenPortProblems([{ name: 'event-bridge', port }])).toEqual([]);
  });
});
