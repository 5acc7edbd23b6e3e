import { DataverseSimulator } from '@switchboard/testing';
import { StartError } from './start-error';
import { PORT_BASE_ENV } from './ports';

/** Loopback addresses other than 127.0.0.1 exist on Linux; elsewhere the simulator shares 127.0.0.1. */
const PREFERRED_HOST = '127.0.0.2';
const FALLBACK_HOST = '127.0.0.1';

/**
 * The Dataverse Web API + Entra token simulator of `npm start` (DATAVERSE_SIMULATOR_PORT, default SWITCHBOARD_PORT_BASE + 90, i.e. 3090;
 * `off` leaves it out). crm-sync's SSRF guard refuses loopback, so crm-sync gets the simulator's address
 * — and only that — on its OUTBOUND_HTTP_ALLOW list, unless the caller set that variable.
 */
export async function startLocalDataverse(env: NodeJS.ProcessEnv): Promise<{ simulator?: DataverseSimulator; serviceEnv(service: string): Record<string, string>; summaryLine: string }> {
  // Beside the services: 3090, or SWITCHBOARD_PORT_BASE + 90 when a second stack moved its ports.
  const setting = env['DATAVERSE_SIMULATOR_PORT'] ?? String(Number(env[PORT_BASE_ENV]?.trim() || 3000) + 90);
  if (setting === 'off') return { serviceEnv: () => ({}), summaryLine: '  Dataverse simulator: off (DATAVERSE_SIMULATOR_PORT=off)' };
  const port = Number(setting);
  if (!/^\d+$/.test(setting) || port > 65535) throw new StartError(`DATAVERSE_SIMULATOR_PORT must be a port number or "off", got "${setting}".`);
  const simulator = await DataverseSimulator.start({ host: PREFERRED_HOST, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRNOTAVAIL') throw error;
    return DataverseSimulator.start({ host: FALLBACK_HOST, port });
  });
  const host = new URL(simulator.url).hostname;
  return {
    simulator,
    serviceEnv: (service): Record<string, string> => (service === 'crm-sync' ? { OUTBOUND_HTTP_ALLOW: env['OUTBOUND_HTTP_ALLOW'] ?? `${host}/32` } : {}),
    summaryLine:
      `  Dataverse + Entra simulator: ${simulator.url} (organization and authority URL; tenant ${simulator.entraTenantId}, ` +
      `client ${simulator.clientId}, secret "simulated-client-secret"; README "Dynamics IVR data dip")`,
  };
}
