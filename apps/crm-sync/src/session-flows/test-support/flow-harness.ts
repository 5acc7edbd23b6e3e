import { CrmSimulator, type CrmSimulatorOptions } from '@switchboard/testing';
import { FlowTestKit, SIMULATOR_AUTH, watchRecordPops } from './flow-test-kit';

// The CRM simulator listens on 127.0.0.2, the only allow-listed address (P2.5).
const SIMULATOR_HOST = '127.0.0.2';

type RecordPops = Awaited<ReturnType<typeof watchRecordPops>>;

/** What a session-flow spec runs against: crm-sync (FlowTestKit), the CRM simulator and a reader of the record pops. */
export interface FlowHarness {
  kit: FlowTestKit;
  sim: CrmSimulator;
  /** The crm.record-pops.v1 events of one tenant, in the order they came. */
  popsOf(tenantId: string): RecordPops['pops'];
  close(): Promise<void>;
}

/** Starts the CRM simulator (with `accounts`), crm-sync allowed to reach only it, and the pops reader. */
export async function startFlowHarness(accounts: CrmSimulatorOptions['accounts'] = []): Promise<FlowHarness> {
  const sim = await CrmSimulator.start({ host: SIMULATOR_HOST, auth: SIMULATOR_AUTH, accounts });
  const kit = await FlowTestKit.start({ OUTBOUND_HTTP_ALLOW: `${SIMULATOR_HOST}/32` });
  const pops = await watchRecordPops(kit.tenants);
  return {
    kit,
    sim,
    popsOf: (tenantId) => pops.pops.filter((pop) => pop.tenantid === tenantId),
    async close() {
      await pops.stop();
      await kit.close();
      await sim.close();
    },
  };
}
