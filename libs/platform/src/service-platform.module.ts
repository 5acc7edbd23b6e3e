import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from '@switchboard/auth';
import { JobsModule } from '@switchboard/jobs';
import { KafkaConnection, MessagingModule, MessagingModuleOptions } from '@switchboard/messaging';
import { listenForNotifications, ServiceDatabaseOptions, SqlExecutor } from '@switchboard/persistence';
import type pg from 'pg';
import { BaseServiceEnv, ReadinessRegistry, ServiceConfig, ServiceLifecycle } from '@switchboard/service-kit';
import type { ServiceManifest } from '@switchboard/service-manifest';

/** What a service's PrismaService (a servicePrismaClient) must offer the platform. */
export interface ServiceDatabase extends SqlExecutor {
  /** The pool Prisma and plain SQL share; the relay LISTENs on a connection of it. */
  readonly pool: pg.Pool;
  transaction<R>(work: (tx: SqlExecutor) => Promise<R>): Promise<R>;
  /** Plain SQL on the pool, and a transaction of it, for the platform's own statements (no Prisma query layer). */
  readonly sql: SqlExecutor;
  sqlTransaction<R>(work: (tx: SqlExecutor) => Promise<R>): Promise<R>;
}

export interface ServicePlatformOptions<C extends BaseServiceEnv = BaseServiceEnv> {
  /**
   * The service's `service.json`: its name is the Kafka client id, consumer group and CloudEvent
   * source; its schema the Postgres schema the service owns.
   */
  manifest: Pick<ServiceManifest, 'name' | 'schema'>;
  /** The service's Prisma client class, built here from the configuration and injectable in the whole app. */
  database: new (options: ServiceDatabaseOptions) => ServiceDatabase;
  /**
   * How long each outbox relay round gives way to the service's requests (ServiceLifecycle.giveWayToRequests), read
   * from its configuration; unset or 0: never (a relay whose events must leave at once, such as screen pops).
   */
  relayGiveWayMs?: (config: C) => number;
}

const DATABASE = Symbol('SERVICE_DATABASE');
const relayLogger = new Logger('OutboxRelay');

@Injectable()
class ReadinessChecks implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(DATABASE) private readonly database: ServiceDatabase,
    private readonly kafka: KafkaConnection,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.database.$queryRawUnsafe('SELECT 1');
    });
    this.readiness.register('kafka', () => this.kafka.checkReady(), { timeoutMs: 3_000 });
  }
}

export function messagingOptionsFrom<C extends BaseServiceEnv>(config: C, options: ServicePlatformOptions<C>, database: ServiceDatabase, lifecycle: ServiceLifecycle): MessagingModuleOptions {
  const relayGiveWay = lifecycle.giveWayToRequests(options.relayGiveWayMs?.(config) ?? 0);
  return {
    ...(relayGiveWay && { relayGiveWay }),
    serviceName: options.manifest.name,
    consumerGroup: config.KAFKA_CONSUMER_GROUP,
    schema: options.manifest.schema,
    transaction: (work) => database.transaction(work),
    relayTransaction: (work) => database.sqlTransaction(work),
    listen: (channel, onNotify) =>
      listenForNotifications(database.pool, channel, onNotify, (error) => relayLogger.warn({ msg: 'outbox notifications: connection lost, reconnecting', error: error.message })),
    kafka: {
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID ?? options.manifest.name,
      idempotentProducer: config.KAFKA_IDEMPOTENT_PRODUCER,
      consumerMaxWaitMs: config.KAFKA_CONSUMER_MAX_WAIT_MS,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
  };
}

/**
 * The infrastructure every service has, wired once: its own database (Prisma, its schema only),
 * bearer-JWT auth with role guards (P1.2–P1.3), Kafka with outbox relay and idempotent consumers
 * (P3.3), durable jobs (libs/jobs), and readiness checks on the database and Kafka (P4.1).
 */
@Module({})
class ServiceDatabaseModule {}

@Global()
@Module({})
export class ServicePlatformModule {
  static forRoot<C extends BaseServiceEnv>(options: ServicePlatformOptions<C>): DynamicModule {
    // One module instance (Nest de-duplicates the same dynamic module), so one connection pool.
    const databaseModule: DynamicModule = {
      module: ServiceDatabaseModule,
      global: true,
      providers: [
        {
          provide: options.database,
          inject: [ServiceConfig],
          useFactory: (config: BaseServiceEnv) => new options.database({ databaseUrl: config.DATABASE_URL, schema: options.manifest.schema }),
        },
        { provide: DATABASE, useExisting: options.database },
      ],
      exports: [options.database, DATABASE],
    };
    return {
      module: ServicePlatformModule,
      imports: [
        databaseModule,
        AuthModule.fromServiceConfig(),
        MessagingModule.forRootAsync({
          imports: [databaseModule],
          inject: [ServiceConfig, DATABASE, ServiceLifecycle],
          // ServiceConfig is the service's own configuration class, whose type C names.
          useFactory: (config: C, database: ServiceDatabase, lifecycle: ServiceLifecycle) => messagingOptionsFrom(config, options, database, lifecycle),
        }),
        JobsModule.forRootAsync({
          imports: [databaseModule],
          inject: [ServiceConfig, DATABASE],
          useFactory: (config: BaseServiceEnv, database: ServiceDatabase) => ({
            schema: options.manifest.schema,
            // Claims, ends of tries and lease renewals are plain SQL: through Prisma's client each also went through its
            // query layer (storage-export's small-file export: Prisma's request path and wasm compiler ~11 % of the CPU).
            database: database.sql,
            pollIntervalMs: config.JOBS_POLL_INTERVAL_MS,
          }),
        }),
      ],
      providers: [ReadinessChecks],
    };
  }
}
