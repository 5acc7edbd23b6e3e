import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CRM_PASSWORD, LOCAL_CRM_USER, startLocalCrm } from './crm-peer';
import { StartError } from './start-error';

describe('npm start: the reference CRM simulator beside the services', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('CS1.1 runs with basic auth and a sample account, and only its address is allow-listed for crm-sync', async () => {
    const peer = await startLocalCrm({ CRM_SIMULATOR_PORT: '0' });
    close = () => peer.simulator?.close() ?? Promise.resolve();
    const url = peer.simulator?.url ?? '';

    const kim = await fetch(`${url}/api/accounts/acc_1`, { headers: { authorization: `Basic ${Buffer.from(`${LOCAL_CRM_USER}:${LOCAL_CRM_PASSWORD}`).toString('base64')}` } });
    expect(kim.status).toBe(200);
    expect(peer.serviceEnv('crm-sync')).toEqual({ OUTBOUND_HTTP_ALLOW: `${new URL(url).hostname}/32` });
    expect(peer.serviceEnv('event-bridge')).toEqual({});
    expect(peer.summaryLine).toContain(`${url}/api`);
  });

  it('P4.4 CRM_SIMULATOR_PORT=off leaves it out; a bad port is one sentence', async () => {
    expect((await startLocalCrm({ CRM_SIMULATOR_PORT: 'off' })).simulator).toBeUndefined();
    await expect(startLocalCrm({ CRM_SIMULATOR_PORT: 'ninety' })).rejects.toThrow(StartError);
  });
});
