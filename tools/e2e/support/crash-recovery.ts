import { type CloudEvent, createCloudEvent } from '@switchboard/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import pg from 'pg';
import type { RunningService } from '../../stack/service-process';
import type { ServiceName } from '../../stack/services';
import type { TestStack } from './test-stack';

/**
 * What the SIGKILL tests (crm-sync, storage-export, outbound-messaging) share: a connection to the stack's
 * database to read the state a crash left behind, the durable-job leases the killed process held, and
 * events published on Kafka as an upstream service's outbox would publish them.
 */
export class CrashProbe {
  private constructor(private readonly client: pg.Client) {}

  static async connect(databaseUrl: string): Promise<CrashProbe> {
    // Prisma's `?schema=` parameter means nothing to pg; the queries name their schemas.
    const client = new pg.Client({ connectionString: databaseUrl.replace(/\?.*$/, '') });
    await client.connect();
    return new CrashProbe(client);
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }

  /**
   * The keys of the `@switchboard/jobs` jobs a killed process was running, whose leases are then made to run
   * out now. A dead replica's jobs are taken over only once their lease expires (crm-sync's steps 60 s,
   * storage-export's files 120 s); waiting that long would only add minutes to the test, and the table ends up
   * in exactly the state it reaches by itself then. Only the dead process's leases (owner `<host>:<pid>:…`)
   * are touched, so a live replica's are never cut short.
   */
  async expireLeasesOf(schema: string, deadPid: number): Promise<string[]> {
    const rows = await this.query<{ key: string }>(
      `UPDATE "${schema}".job SET lease_expires_at = now() WHERE status = 'running' AND lease_owner LIKE $1 RETURNING key`,
      [`${hostname()}:${deadPid}:%`],
    );
    return rows.map((row) => row.key);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The stack's current process of a service (a new one after each `stack.start`). */
export function processOf(stack: TestStack, name: ServiceName): RunningService {
  const service = stack.services.get(name);
  if (!service) throw new Error(`${name} is not running in this stack`);
  return service;
}

/** SIGKILL: the process ends at once, mid-call, with nothing flushed or released. Answers the pid it had. */
export async function sigkill(service: RunningService): Promise<number> {
  const pid = service.process.pid;
  if (pid === undefined) throw new Error(`${service.name} has no process to kill`);
  await service.kill();
  return pid;
}

/** A simulator of a peer (CRM, SMS provider) that tells of each request as it arrives (`HttpSimulator.onRequest`). */
export interface ObservedPeer {
  onRequest(listener: (request: IncomingMessage) => void): void;
}

/**
 * SIGKILLs `service` the moment the `nth` request matching `match` reaches `peer`, before the peer handles it:
 * the peer still acts on that request and its answer reaches nobody, the window in which a crash can make a
 * call happen twice. `when: 'received'` waits for the request's whole body first, so that the peer surely acts on
 * it (on arrival, a kill may cut the body short and the peer then refuses it). Resolves with the killed process's
 * pid once it is gone.
 */
export function killOnRequest(peer: ObservedPeer, service: RunningService, nth: number, match: (request: IncomingMessage) => boolean, when: 'arrived' | 'received' = 'arrived'): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    peer.onRequest((request) => {
      if (seen >= nth || !match(request) || ++seen < nth) return;
      const kill = () => void sigkill(service).then(resolve, reject);
      if (when === 'arrived') kill();
      else request.once('end', kill);
    });
  });
}

/** Publishes CloudEvents on a topic, keyed by subject, as a service's outbox relay does. */
export class EventPublisher {
  private constructor(private readonly producer: Producer) {}

  static async connect(brokers: string[]): Promise<EventPublisher> {
    const producer = new Kafka({ clientId: 'e2e-kill-publisher', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    return new EventPublisher(producer);
  }

  async publish(topic: string, tenantId: string, events: Array<{ type: string; subject: string; data: object }>): Promise<CloudEvent[]> {
    const envelopes = events.map(({ type, subject, data }) => createCloudEvent({ type, source: '/switchboard/e2e', subject, tenantId, data }));
    await this.producer.send({ topic, messages: envelopes.map((event) => ({ key: event.subject, value: JSON.stringify(event) })) });
    return envelopes;
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}
