import { dlqTopic } from '@switchboard/contracts';
import { Producer } from 'kafkajs';
import { MessagingLogger } from '../logger';
import { InboxMessage } from './inbox-message';

/** Parks a message that cannot be applied in `<topic>.dlq`, with why, for later replay (P3.3). */
export class DeadLetters {
  constructor(
    private readonly producer: Producer,
    private readonly consumerGroup: string,
    private readonly logger: MessagingLogger,
  ) {}

  async park(message: InboxMessage, reason: string, attempts: number): Promise<void> {
    const { meta } = message;
    this.logger.error('consumer: message parked in DLQ', { topic: meta.topic, offset: meta.offset, reason, attempts });
    await this.producer.send({
      topic: dlqTopic(meta.topic),
      acks: -1,
      messages: [
        {
          key: message.keyBytes,
          value: message.raw,
          headers: {
            ...meta.headers,
            'x-dlq-original-topic': meta.topic,
            'x-dlq-original-partition': String(meta.partition),
            'x-dlq-original-offset': meta.offset,
            'x-dlq-consumer-group': this.consumerGroup,
            'x-dlq-error': reason.slice(0, 2_000),
            'x-dlq-attempts': String(attempts),
            'x-dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}
