import { DataverseSimulator } from '@switchboard/testing';
import { allowForCrmSync, onPeerAddress, peerPort } from './local-peer';

/**
 * The Dataverse Web API + Entra token simulator of `npm start` (DATAVERSE_SIMULATOR_PORT, default SWITCHBOARD_PORT_BASE + 90, i.e. 3090;
 * `off` leaves it out), allow-listed for crm-sync.
 */
export async function startLocalDataverse(env: NodeJS.ProcessEnv): Promise<{ simulator?: DataverseSimulator; serviceEnv(service: string): Record<string, string>; summaryLine: string }> {
  // Beside the services: 3090, or SWITCHBOARD_PORT_BASE + 90 when a second stack moved its ports.
  const port = peerPort(env, 'DATAVERSE_SIMULATOR_PORT', 90);
  if (port === 'off') return { serviceEnv: () => ({}), summaryLine: '  Dataverse simulator: off (DATAVERSE_SIMULATOR_PORT=off)' };
  const simulator = await onPeerAddress((host) => DataverseSimulator.start({ host, port }));
  return {
    simulator,
    serviceEnv: allowForCrmSync(env, simulator.url),
    summaryLine:
      `  Dataverse + Entra simulator: ${simulator.url} (organization and authority URL; tenant ${simulator.entraTenantId}, ` +
      `client ${simulator.clientId}, secret "simulated-client-secret"; README "Dynamics IVR data dip")`,
  };
}
