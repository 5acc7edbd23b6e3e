import { Role } from '@switchboard/auth';
import { CloudEvent, createCloudEvent, CrmRecordPop, CrmRecordPopEventTypes, Topics } from '@switchboard/contracts';
import { OutboxPublisher } from '@switchboard/messaging';
import { SecretBox } from '@switchboard/persistence';
import { startServiceTestApp, type ServiceTestApp } from '@switchboard/platform/testing';
import { openSseStream, SseStream } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { EventBridgeConfig } from '../config';
import { PrismaService } from '../database/prisma.service';

export const AGENT: Role[] = [Role.OmnichannelAgent];

export interface EventBridgeTestApp extends ServiceTestApp<EventBridgeConfig> {
  prisma: PrismaService;
  /**
   * Publishes events the way producers do: through this app's outbox in one transaction, relayed to Kafka,
   * consumed back by the event handlers of every replica's consumer group.
   */
  publish(entries: { topic: string; event: CloudEvent; key?: string }[]): Promise<void>;
  /** Opens GET /agent-stream (plus `path`, e.g. a query string) as the agent `agentId` of `tenantId`. */
  openAgentStream(tenantId: string, agentId: string, options?: { lastEventId?: string; path?: string; roles?: Role[] }): Promise<SseStream>;
}

/** The whole event-bridge app in this process (see startServiceTestApp); `replicaOf` makes it a second replica. */
export async function startEventBridgeTestApp(env: Record<string, string> = {}, options: { replicaOf?: EventBridgeTestApp } = {}): Promise<EventBridgeTestApp> {
  const started = await startServiceTestApp({
    service: 'event-bridge',
    module: AppModule,
    config: EventBridgeConfig,
    env: { SECRETS_ENCRYPTION_KEY: options.replicaOf?.config.SECRETS_ENCRYPTION_KEY ?? SecretBox.generateKey(), ...env },
    replicaOf: options.replicaOf,
  });
  const prisma = started.app.get(PrismaService);
  const publisher = started.app.get(OutboxPublisher);
  return {
    ...started,
    prisma,
    publish: (entries) => prisma.transaction((tx) => publisher.enqueue(tx, entries)),
    async openAgentStream(tenantId, agentId, { lastEventId, path = '', roles = AGENT } = {}) {
      const authorization = `Bearer ${await started.token(tenantId, roles, agentId)}`;
      return openSseStream(`${started.url}/agent-stream${path}`, { headers: { authorization, ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) } });
    },
  };
}

/** A CRM_Record_Pop on crm.record-pops.v1, keyed by its agent (as crm-sync publishes it). */
export function recordPop(tenantId: string, pop: CrmRecordPop): { topic: string; event: CloudEvent; key: string } {
  const event = createCloudEvent({ type: CrmRecordPopEventTypes.recordPop, source: '/switchboard/crm-sync', subject: pop.agentId, tenantId, data: pop });
  return { topic: Topics.crmRecordPops, event, key: pop.agentId };
}
