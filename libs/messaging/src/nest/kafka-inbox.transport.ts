import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { EventCatalog, eventCatalog } from '@switchboard/contracts';
import { SqlExecutor } from '@switchboard/persistence';
import { isObservable, lastValueFrom } from 'rxjs';
import { InboxConsumer, InboxConsumerOptions, InboxRoute } from '../inbox/inbox-consumer';
import { InboxBatchContext, InboxContext } from './inbox-context';
import { catalogProblem, parseInboxPattern } from './inbox-patterns';

export const KAFKA_INBOX_TRANSPORT = Symbol('switchboard-kafka-inbox');

export type KafkaInboxTransportOptions<Tx extends SqlExecutor> = Omit<InboxConsumerOptions<Tx>, 'topics' | 'route'>;

/** Start-up refuses handlers it cannot serve, all named in one line. */
export class InboxSubscriptionError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot subscribe event handlers: ${problems.join('; ')}`);
    this.name = 'InboxSubscriptionError';
  }
}

interface TopicRoutes<Tx> {
  all?: InboxRoute<Tx>;
  byType: Map<string, InboxRoute<Tx>>;
}

/**
 * The custom NestJS transport that serves `@EventPattern` handlers from Kafka through the inbox consumer
 * (exactly-once effects, batches, retries, DLQ). Patterns are checked against the contracts catalog when
 * the service starts, so a typo in a topic or event type stops the start instead of silently never firing.
 * An event goes to the handler of its type if there is one, otherwise to its topic's handler.
 * `@EventPattern(topic, { batch: true })` makes a batch handler: `@Payload()` is then an array of
 * consecutive events (one multi-row write instead of one per event), `@Ctx()` an InboxBatchContext.
 */
export class KafkaInboxTransport<Tx extends SqlExecutor = SqlExecutor> extends Server implements CustomTransportStrategy {
  override readonly transportId = KAFKA_INBOX_TRANSPORT;
  private readonly problems: string[] = [];
  private consumer?: InboxConsumer<Tx>;

  constructor(private readonly options: KafkaInboxTransportOptions<Tx>) {
    super();
  }

  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    const key = this.normalizePattern(pattern as string);
    if (!isEventHandler) this.problems.push(`${key}: only @EventPattern handlers are served (no request/reply over Kafka)`);
    else if (this.messageHandlers.has(key)) this.problems.push(`${key}: two handlers for one pattern (give each event one handler)`);
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('KafkaInboxTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const routes = this.routes(this.options.catalog ?? eventCatalog);
    if (this.problems.length > 0) throw new InboxSubscriptionError(this.problems);
    if (routes.size === 0) return; // a service that consumes nothing needs no consumer
    this.consumer = new InboxConsumer<Tx>({
      ...this.options,
      topics: [...routes.keys()],
      route: (topic, type) => routes.get(topic)?.byType.get(type) ?? routes.get(topic)?.all,
    });
    await this.consumer.start();
  }

  private routes(catalog: EventCatalog): Map<string, TopicRoutes<Tx>> {
    const routes = new Map<string, TopicRoutes<Tx>>();
    for (const [key, handler] of this.messageHandlers) {
      const pattern = parseInboxPattern(key);
      const problem = typeof pattern === 'string' ? pattern : catalogProblem(pattern, catalog);
      if (typeof pattern === 'string' || problem) {
        this.problems.push(`@EventPattern(${key}): ${problem}`);
        continue;
      }
      const topicRoutes: TopicRoutes<Tx> = routes.get(pattern.topic) ?? { byType: new Map() };
      const route = routeTo<Tx>(handler);
      if (pattern.type) topicRoutes.byType.set(pattern.type, route);
      else topicRoutes.all = route;
      routes.set(pattern.topic, topicRoutes);
    }
    return routes;
  }
}

/** Calls a Nest-wrapped handler (pipes, interceptors, filters) and waits for it, errors included. */
async function callNest(handler: MessageHandler, payload: unknown, context: unknown): Promise<void> {
  const result: unknown = await handler(payload, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

function routeTo<Tx extends SqlExecutor>(handler: MessageHandler): InboxRoute<Tx> {
  if (handler.extras?.['batch'] === true) {
    return { batch: (events, tx, metas) => callNest(handler, events, new InboxBatchContext<Tx>([tx, metas])) };
  }
  return { each: (event, tx, meta) => callNest(handler, event, new InboxContext<Tx>([tx, meta])) };
}
