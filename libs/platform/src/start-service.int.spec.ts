import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { MessagingModule } from '@switchboard/messaging';
import { pgTransactionRunner } from '@switchboard/persistence';
import { ServiceConfig } from '@switchboard/service-kit';
import { testInfra } from '@switchboard/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startServiceApp } from './start-service';

/** A handler whose topic has a typo: `agent.event.v1` is not a topic of the contracts catalog. */
@Controller()
class MisspelledTopicConsumer {
  @EventPattern('agent.event.v1')
  handle(): void {
    throw new Error('never called: start-up refuses this handler');
  }
}

describe('startServiceApp: a handler the platform cannot subscribe stops the start (P3.3)', () => {
  it('fails with one fatal log line naming the handler and the reason, and rejects', async () => {
    const { kafkaBrokers, databaseUrl } = testInfra();
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    @Module({
      imports: [
        MessagingModule.forRootAsync({
          useFactory: () => ({
            serviceName: 'typo-service',
            schema: 'typo_service',
            kafka: { brokers: kafkaBrokers, clientId: 'typo-service', idempotentProducer: false, consumerMaxWaitMs: 100, sessionTimeoutMs: 6_000 },
            transaction: pgTransactionRunner(pool),
          }),
        }),
      ],
      controllers: [MisspelledTopicConsumer],
    })
    class TypoServiceModule {}

    const logs: { level?: string; msg?: string }[] = [];
    try {
      const start = startServiceApp({
        name: 'typo-service',
        module: TypoServiceModule,
        config: ServiceConfig.fromEnv({ env: { PORT: '0', HOST: '127.0.0.1', KAFKA_BROKERS: kafkaBrokers.join(','), LOG_LEVEL: 'info' } }),
        openApi: { title: 'typo', description: 'typo', version: '1' },
        logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as { level?: string; msg?: string }) },
        shutdownSignals: [],
        exitProcess: false,
      });
      await expect(start).rejects.toThrow(/cannot subscribe event handlers/);
    } finally {
      await pool.end();
    }
    const fatal = logs.filter((line) => line.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.msg).toBe(
      'typo-service could not start: beforeListen failed: cannot subscribe event handlers: @EventPattern(agent.event.v1): topic "agent.event.v1" is not in the contracts catalog (known: agent.events.v1, proactive.delivery.v1, crm.record-pops.v1)',
    );
  });
});
