import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { KafkaInboxTransport } from './kafka-inbox.transport';
import { RethrowRpcErrors } from './rethrow-rpc-errors.filter';

/**
 * Makes the app hybrid: HTTP plus the service's `@EventPattern` handlers served by the Kafka inbox
 * transport. Runs after the app's own initialisation (the DLQ producer and the database are ready by
 * then) and before it listens for HTTP; rejects when a handler cannot be subscribed.
 */
export async function startEventHandlers(app: INestApplication): Promise<void> {
  await app.init();
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: app.get(KafkaInboxTransport) },
    // Deferred so the filter below is in place before the handlers are wrapped; the app ran the hooks.
    { inheritAppConfig: false, deferInitialization: true },
  );
  if (microservice instanceof NestMicroservice) microservice.setIsInitHookCalled(true);
  microservice.useGlobalFilters(new RethrowRpcErrors());
  await app.startAllMicroservices();
}
