import { StartError } from './start-error';
import { PORT_BASE_ENV } from './ports';

/** Loopback addresses other than 127.0.0.1 exist on Linux; elsewhere the simulators share 127.0.0.1. */
const PREFERRED_HOST = '127.0.0.2';
const FALLBACK_HOST = '127.0.0.1';

/**
 * The port of a simulator `npm start` runs beside the services: `variable` when set (a port, or `off`),
 * else SWITCHBOARD_PORT_BASE (3000) + `offset`.
 */
export function peerPort(env: NodeJS.ProcessEnv, variable: string, offset: number): number | 'off' {
  const setting = env[variable] ?? String(Number(env[PORT_BASE_ENV]?.trim() || 3000) + offset);
  if (setting === 'off') return 'off';
  const port = Number(setting);
  if (!/^\d+$/.test(setting) || port > 65535) throw new StartError(`${variable} must be a port number or "off", got "${setting}".`);
  return port;
}

/** Starts a simulator on 127.0.0.2, or on 127.0.0.1 where that address does not exist. */
export function onPeerAddress<P>(start: (host: string) => Promise<P>): Promise<P> {
  return start(PREFERRED_HOST).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRNOTAVAIL') throw error;
    return start(FALLBACK_HOST);
  });
}

/**
 * crm-sync's SSRF guard refuses loopback, so crm-sync gets the simulators' address — and only that —
 * on its OUTBOUND_HTTP_ALLOW list, unless the caller set that variable.
 */
export function allowForCrmSync(env: NodeJS.ProcessEnv, url: string): (service: string) => Record<string, string> {
  const host = new URL(url).hostname;
  return (service): Record<string, string> => (service === 'crm-sync' ? { OUTBOUND_HTTP_ALLOW: env['OUTBOUND_HTTP_ALLOW'] ?? `${host}/32` } : {});
}
