import type { OutboundHttpClient } from '@switchboard/outbound-http';
import type { WebhookCollector } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** What a provider spec runs against: a provider simulator, the collector of its webhooks, our HTTP client. */
export interface ProviderSimulation {
  simulator: { settled(): Promise<void>; faults: { clear(): void }; requests: unknown[]; close(): Promise<void> };
  hooks: WebhookCollector;
  http: OutboundHttpClient;
}

/**
 * Starts a provider spec's simulation once for its file (`start` also keeps what it made for the
 * tests), gives each test a clean slate (callbacks settled, no faults, no recorded requests or
 * webhooks) and closes everything at the end.
 */
export function withProviderSimulation(start: () => Promise<ProviderSimulation>): void {
  let simulation: ProviderSimulation | undefined;
  beforeAll(async () => {
    simulation = await start();
  });
  afterEach(async () => {
    if (!simulation) return;
    await simulation.simulator.settled();
    simulation.simulator.faults.clear();
    simulation.simulator.requests.length = 0;
    simulation.hooks.received.length = 0;
  });
  afterAll(async () => {
    if (simulation) await Promise.all([simulation.simulator.close(), simulation.hooks.close(), simulation.http.close()]);
  });
}
