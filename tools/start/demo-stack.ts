import { mintDevToken, Role } from '@switchboard/auth/dev-tokens';
import type { CrmSimulator, DataverseSimulator, TwilioSimulator } from '@switchboard/testing';
import { LOCAL_CRM_PASSWORD, LOCAL_CRM_USER } from './crm-peer';
import type { DemoPeers } from './demo-peers';
import { DEMO_AGENT_ID, DEMO_TENANT_ID, seedDemoTenant } from './demo-tenant';
import { formatTryIt } from './demo-try-it';
import type { ServiceSupervisor } from './service-supervisor';
import { StartError } from './start-error';
import { type StackState, writeStackState } from './stack-state';

const TRY_IT_TOKEN_HOURS = 12;

export interface DemoStackInput {
  withDemo: boolean;
  stateFile: string;
  supervisor: ServiceSupervisor;
  devKeysDir: string;
  kafkaBrokers: string[];
  dataverse?: DataverseSimulator;
  crm?: CrmSimulator;
  twilio?: TwilioSimulator;
  demoPeers: DemoPeers;
}

/**
 * Once every service is ready: seeds the demo tenant (unless --no-demo), writes the state file `npm run demo`
 * reads, and resolves with the summary's "try it" lines (undefined without the demo tenant).
 */
export async function seedAndDescribeDemo(input: DemoStackInput): Promise<string[] | undefined> {
  const services = Object.fromEntries(input.supervisor.rows().map((row) => [row.name, row.url]));
  const { demoPeers } = input;
  const started = Date.now();
  const demoTenant = input.withDemo ? await seed(input, services) : undefined;
  if (demoTenant) process.stdout.write(`  ✓ demo tenant ${demoTenant.tenantId} configured through the admin APIs (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const state: StackState = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    services,
    kafkaBrokers: input.kafkaBrokers,
    devKeysDir: input.devKeysDir,
    peers: { crm: input.crm?.url, dataverse: input.dataverse?.url, twilio: input.twilio?.url, mailInbox: demoPeers.inbox.url, exports: demoPeers.exportTarget },
    demoTenant,
  };
  await writeStackState(input.stateFile, state);
  if (!demoTenant) return undefined;
  const token = await mintDevToken({
    tenantId: demoTenant.tenantId,
    roles: [Role.Administrator, Role.OmnichannelSupervisor, Role.OmnichannelAgent],
    subject: demoTenant.agentId,
    keysDir: input.devKeysDir,
    ttlSec: TRY_IT_TOKEN_HOURS * 3600,
  });
  return formatTryIt({
    tenantId: demoTenant.tenantId,
    agentId: demoTenant.agentId,
    eventBridgeUrl: services['event-bridge'] ?? '(event-bridge is not running)',
    token,
    tokenHours: TRY_IT_TOKEN_HOURS,
    mailInboxUrl: demoPeers.inbox.url,
    exportsLocation: `${demoPeers.exportTarget.location} (on this machine: ${demoPeers.exportTarget.localDirectory})`,
    afterCallDelaySec: demoTenant.afterCallDelaySec,
  });
}

async function seed(input: DemoStackInput, services: Record<string, string>) {
  const { crm, dataverse } = input;
  try {
    return await seedDemoTenant(services, input.devKeysDir, {
      crm: crm && { url: crm.url, username: LOCAL_CRM_USER, password: LOCAL_CRM_PASSWORD },
      dataverse: dataverse && { url: dataverse.url, entraTenantId: dataverse.entraTenantId, clientId: dataverse.clientId, clientSecret: 'simulated-client-secret' },
      demo: input.demoPeers,
    });
  } catch (error) {
    throw new StartError(`Seeding the demo tenant ${DEMO_TENANT_ID} (agent ${DEMO_AGENT_ID}) failed — ${error instanceof Error ? error.message : String(error)} (npm start --no-demo starts without it).`);
  }
}
