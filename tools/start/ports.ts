import { createServer } from 'node:net';
import { SERVICES, type ServiceName } from '../stack/services';
import { StartError } from './start-error';

export interface ServicePort {
  name: ServiceName;
  port: number;
}

/** Moves every port at once: base 4000 → 4001, 4002, … in port order, so a second stack never meets the first. */
export const PORT_BASE_ENV = 'SWITCHBOARD_PORT_BASE';

/** Each service's port: its manifest's, or `SWITCHBOARD_PORT_BASE` + 1, 2, … in the manifests' port order. */
export function servicePorts(env: NodeJS.ProcessEnv = process.env): ServicePort[] {
  const raw = env[PORT_BASE_ENV]?.trim();
  if (!raw) return SERVICES.map(({ name, port }) => ({ name, port }));
  const base = Number(raw);
  const highest = 65535 - SERVICES.length;
  if (!/^\d+$/.test(raw) || base < 1 || base > highest) {
    throw new StartError(`${PORT_BASE_ENV} must be a whole number from 1 to ${highest} (services use base+1..base+${SERVICES.length}), got "${raw}".`);
  }
  return SERVICES.map(({ name }, index) => ({ name, port: base + index + 1 }));
}

/** Resolves false when something already listens on host:port (or we may not bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** One sentence per taken port, naming the service that wanted it and how to move the stack. */
export async function takenPortProblems(ports: ServicePort[], host = '127.0.0.1'): Promise<string[]> {
  const free = await Promise.all(ports.map(({ port }) => isPortFree(port, host)));
  const taken = ports.filter((_, index) => !free[index]);
  if (taken.length === 0) return [];
  const list = taken.map(({ name, port }) => `${port} (${name})`).join(', ');
  const plural = taken.length > 1;
  return [
    `Ports: ${list} ${plural ? 'are' : 'is'} already in use — stop what listens there (another \`npm start\`?) or set ${PORT_BASE_ENV}=4000 to use ports 4001–${4000 + SERVICES.length}.`,
  ];
}
