import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ProactiveDeliveryConfig } from '../config';
import { aDialRequest } from './dial-request.fixture';
import { HttpVoiceRuntime } from './http-voice-runtime';
import { SimulatorVoiceRuntime } from './simulator-voice-runtime';
import { VoiceRuntimeModule } from './voice-runtime.module';
import { DIAL_OUTCOME_SINK, DialOutcomeSink, VOICE_RUNTIME_REGISTRY, VoiceRuntimeRegistry } from './voice-runtime';
import { VoiceRuntimeProviders } from './voice-runtime-registry';

function configWith(env: Record<string, string>) {
  return ProactiveDeliveryConfig.load({ env: { PORT: '0', KAFKA_BROKERS: '127.0.0.1:9', ...env } });
}

async function compile(env: Record<string, string>, sink: DialOutcomeSink = { report: vi.fn(async () => undefined) }) {
  // Stands in for the service kit (config) and the outcomes feature (sink), both global in the app.
  @Global()
  @Module({
    providers: [
      { provide: ProactiveDeliveryConfig, useValue: configWith(env) },
      { provide: DIAL_OUTCOME_SINK, useValue: sink },
    ],
    exports: [ProactiveDeliveryConfig, DIAL_OUTCOME_SINK],
  })
  class HostModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HostModule, VoiceRuntimeModule] }).compile();
  return { moduleRef, registry: moduleRef.get<VoiceRuntimeRegistry>(VOICE_RUNTIME_REGISTRY) };
}

const HTTP_ENV = { VOICE_HTTP_URL: 'http://127.0.0.1:9/dial', VOICE_HTTP_SIGNING_SECRET: 'sign-me' };

describe('VoiceRuntimeModule: providers chosen by configuration (PD4.3)', () => {
  it('PD4.3 registers only the simulator by default', async () => {
    const { moduleRef, registry } = await compile({});
    expect(registry.names()).toEqual(['simulator']);
    expect(registry.get('simulator')).toBe(moduleRef.get(SimulatorVoiceRuntime));
    expect(registry.get('http')).toBeUndefined();
    await moduleRef.close();
  });

  it('PD4.3 registers the HTTP provider when VOICE_HTTP_URL is set', async () => {
    const { moduleRef, registry } = await compile(HTTP_ENV);
    expect(registry.names()).toEqual(['http', 'simulator']);
    expect(registry.get('http')).toBeInstanceOf(HttpVoiceRuntime);
    await moduleRef.close();
  });

  it('PD4.3 VOICE_SIMULATOR_ENABLED=false removes the simulator', async () => {
    const { moduleRef, registry } = await compile({ ...HTTP_ENV, VOICE_SIMULATOR_ENABLED: 'false' });
    expect(registry.names()).toEqual(['http']);
    await moduleRef.close();
  });

  it('PD4.3 production leaves the simulator off unless it is explicitly enabled', async () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' };
    const off = await compile(production);
    expect(off.registry.names()).toEqual([]);
    await off.moduleRef.close();
    const on = await compile({ ...production, VOICE_SIMULATOR_ENABLED: 'true' });
    expect(on.registry.names()).toEqual(['simulator']);
    await on.moduleRef.close();
  });

  it('PD4.3 refuses to start with VOICE_HTTP_URL but no VOICE_HTTP_SIGNING_SECRET, saying what to set', async () => {
    await expect(compile({ VOICE_HTTP_URL: 'http://127.0.0.1:9/dial' })).rejects.toThrow(
      /VOICE_HTTP_URL is set but VOICE_HTTP_SIGNING_SECRET is not.*Set VOICE_HTTP_SIGNING_SECRET/,
    );
  });

  it('PD4.3 the simulator reports through the injected DIAL_OUTCOME_SINK', async () => {
    const sink = { report: vi.fn(async () => undefined) };
    const { moduleRef, registry } = await compile({ VOICE_SIMULATOR_OUTCOME_DELAY_MS: '0' }, sink);
    const attemptId = randomUUID();
    await registry.get('simulator')?.dial(aDialRequest({ attemptId, phoneNumber: '+14155550107' }));
    await moduleRef.get(SimulatorVoiceRuntime).idle();
    expect(sink.report).toHaveBeenCalledWith(expect.objectContaining({ attemptId, outcome: 'no_answer' }));
    await moduleRef.close();
  });

  it('PD4.3 closing the module stops the simulator (pending reports are dropped)', async () => {
    const sink = { report: vi.fn(async () => undefined) };
    const { moduleRef } = await compile({ VOICE_SIMULATOR_OUTCOME_DELAY_MS: '50' }, sink);
    const simulator = moduleRef.get(SimulatorVoiceRuntime);
    await simulator.dial(aDialRequest());
    await moduleRef.close();
    // idle() resolves once every scheduled report is settled: reported (open module, after 50 ms) or dropped.
    await simulator.idle();
    expect(sink.report).not.toHaveBeenCalled();
  });
});

describe('VoiceRuntimeModule wired as the app wires it', () => {
  it('PD4.3 resolves when the global module providing DIAL_OUTCOME_SINK itself imports VoiceRuntimeModule', async () => {
    const sink = { report: vi.fn(async () => undefined) };
    @Global()
    @Module({ providers: [{ provide: ProactiveDeliveryConfig, useValue: configWith({ VOICE_SIMULATOR_OUTCOME_DELAY_MS: '0' }) }], exports: [ProactiveDeliveryConfig] })
    class KitModule {}
    // Like the dispatch feature: global, provides the sink, and uses the registry.
    @Global()
    @Module({ imports: [VoiceRuntimeModule], providers: [{ provide: DIAL_OUTCOME_SINK, useValue: sink }], exports: [DIAL_OUTCOME_SINK] })
    class OutcomesModule {}
    @Module({ imports: [VoiceRuntimeModule] })
    class ConfigurationsLikeModule {}

    const moduleRef = await Test.createTestingModule({ imports: [KitModule, OutcomesModule, ConfigurationsLikeModule] }).compile();
    const registry = moduleRef.get<VoiceRuntimeRegistry>(VOICE_RUNTIME_REGISTRY);
    await registry.get('simulator')?.dial(aDialRequest());
    await moduleRef.get(SimulatorVoiceRuntime).idle();
    // One simulator for the whole app, reporting to the one sink.
    expect(registry.get('simulator')).toBe(moduleRef.get(SimulatorVoiceRuntime));
    expect(sink.report).toHaveBeenCalledTimes(1);
    await moduleRef.close();
  });
});

describe('VoiceRuntimeProviders', () => {
  it('PD4.3 refuses two providers with one name', () => {
    const provider = { name: 'simulator', dial: vi.fn() };
    expect(() => new VoiceRuntimeProviders([provider, { ...provider }])).toThrow(/Two voice runtime providers are named "simulator"/);
  });
});
