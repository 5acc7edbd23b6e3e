import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createCloudEvent, NewCloudEvent } from '@switchboard/contracts';
import { SqlExecutor } from '@switchboard/persistence';
import { enqueueEvents, NewOutboxRow, OutboxEntry, outboxRows } from '../outbox';
import { OutboxRelay } from '../outbox-relay';
import { KafkaConnection } from './kafka-connection';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** Writes events into the outbox within the caller's transaction and runs the relay that ships them. */
@Injectable()
export class OutboxPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly relay: OutboxRelay;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    connection: KafkaConnection,
  ) {
    this.relay = new OutboxRelay({
      db: options.relayTransaction ?? options.transaction,
      schema: options.schema,
      producer: connection.producer,
      logger: connection.logger,
      pollIntervalMs: options.relayPollIntervalMs ?? (options.listen ? 1_000 : 250),
      listen: options.listen,
      giveWay: options.relayGiveWay,
    });
  }

  /** A CloudEvent stamped with this service as its source. */
  event<TType extends string, TData>(input: Omit<NewCloudEvent<TType, TData>, 'source'>) {
    return createCloudEvent({ ...input, source: `/switchboard/${this.options.serviceName}` });
  }

  async enqueue(tx: SqlExecutor, entries: OutboxEntry[]): Promise<void> {
    await enqueueEvents(tx, this.options.schema, entries);
    // The caller commits right after; nudge the relay then rather than waiting for its next poll.
    this.relaySoon();
  }

  /** Validated outbox rows, for a caller that inserts them in its own statement; call relaySoon() once it committed. */
  rows(entries: OutboxEntry[]): NewOutboxRow[] {
    return outboxRows(entries);
  }

  /** Ships rows just committed now rather than at the relay's next poll. */
  relaySoon(): void {
    this.relay.wakeAfterCommit();
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}
