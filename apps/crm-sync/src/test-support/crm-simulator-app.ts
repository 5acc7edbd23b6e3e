import { CrmSimulator, type CrmSimulatorOptions } from '@switchboard/testing';
import { afterAll, beforeAll } from 'vitest';
import { type CrmSyncTestApp, startCrmSyncTestApp } from './crm-sync-test-app';

/** The CRM simulator listens on 127.0.0.2, the only allow-listed address (P2.5). */
export const SIMULATOR_HOST = '127.0.0.2';

/** For a describe block: the CRM simulator and crm-sync (allowed to call it), started once and closed after. */
export function useCrmSimulatorApp(simulator: Omit<CrmSimulatorOptions, 'host'>, env: Record<string, string> = {}): { app: () => CrmSyncTestApp; sim: () => CrmSimulator } {
  let app: CrmSyncTestApp | undefined;
  let sim: CrmSimulator | undefined;
  beforeAll(async () => {
    sim = await CrmSimulator.start({ host: SIMULATOR_HOST, ...simulator });
    app = await startCrmSyncTestApp({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32`, ...env });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });
  return { app: () => app!, sim: () => sim! };
}
