import { CrmSimulator } from '@switchboard/testing';
import { allowForCrmSync, onPeerAddress, peerPort } from './local-peer';

export const LOCAL_CRM_USER = 'switchboard';
export const LOCAL_CRM_PASSWORD = 'simulated-crm-password';

/**
 * The reference CRM simulator of `npm start` (CRM_SIMULATOR_PORT, default SWITCHBOARD_PORT_BASE + 91, i.e. 3091;
 * `off` leaves it out), with basic authentication and one sample account, allow-listed for crm-sync.
 */
export async function startLocalCrm(env: NodeJS.ProcessEnv): Promise<{ simulator?: CrmSimulator; serviceEnv(service: string): Record<string, string>; summaryLine: string }> {
  const port = peerPort(env, 'CRM_SIMULATOR_PORT', 91);
  if (port === 'off') return { serviceEnv: () => ({}), summaryLine: '  CRM simulator: off (CRM_SIMULATOR_PORT=off)' };
  const simulator = await onPeerAddress((host) =>
    CrmSimulator.start({
      host,
      port,
      auth: { type: 'basic', username: LOCAL_CRM_USER, password: LOCAL_CRM_PASSWORD },
      accounts: [{ id: 'acc_1', name: 'Kim Lee', Phone: '+12223334444', Email: 'kim@example' }],
    }),
  );
  return {
    simulator,
    serviceEnv: allowForCrmSync(env, simulator.url),
    summaryLine: `  Reference CRM simulator: ${simulator.url}/api (basic auth "${LOCAL_CRM_USER}" / "${LOCAL_CRM_PASSWORD}"; README "custom-CRM engine")`,
  };
}
