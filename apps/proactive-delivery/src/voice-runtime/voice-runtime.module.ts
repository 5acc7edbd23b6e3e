import { Logger, Module } from '@nestjs/common';
import { ProactiveDeliveryConfig } from '../config';
import { DialOutcomeWebhookController } from './dial-outcome-webhook.controller';
import { HttpVoiceRuntime } from './http-voice-runtime';
import { SimulatorVoiceRuntime } from './simulator-voice-runtime';
import { httpVoiceRuntimeOptions, isSimulatorEnabled } from './voice-runtime-selection';
import { VoiceRuntimeProviders } from './voice-runtime-registry';
import { DIAL_OUTCOME_SINK, DialOutcomeSink, VOICE_RUNTIME_REGISTRY, VoiceRuntimeProvider } from './voice-runtime';

/** Every provider enabled by configuration, gathered by one factory (one entry per plug-in). */
export const VOICE_RUNTIME_PROVIDERS = Symbol('VOICE_RUNTIME_PROVIDERS');

function enabledProviders(config: ProactiveDeliveryConfig, simulator: SimulatorVoiceRuntime): VoiceRuntimeProvider[] {
  const providers: VoiceRuntimeProvider[] = [];
  if (isSimulatorEnabled(config)) providers.push(simulator);
  const http = httpVoiceRuntimeOptions(config);
  if (http) {
    providers.push(new HttpVoiceRuntime(http));
    if (!config.VOICE_WEBHOOK_SECRET)
      new Logger('VoiceRuntimeModule').warn('VOICE_HTTP_URL is set but VOICE_WEBHOOK_SECRET is not: outcome webhooks will be refused (401)');
  }
  return providers;
}

/**
 * Voice runtimes (PD4.3): the simulator and the signed-HTTP provider, chosen by configuration, behind
 * VOICE_RUNTIME_REGISTRY; and the signed outcome webhook. Outcomes go to DIAL_OUTCOME_SINK, which the
 * outcomes feature provides globally.
 */
@Module({
  controllers: [DialOutcomeWebhookController],
  providers: [
    {
      // Always constructed (it is inert until dialed), but registered only when enabled.
      provide: SimulatorVoiceRuntime,
      inject: [DIAL_OUTCOME_SINK, ProactiveDeliveryConfig],
      useFactory: (sink: DialOutcomeSink, config: ProactiveDeliveryConfig) =>
        new SimulatorVoiceRuntime(sink, { outcomeDelayMs: config.VOICE_SIMULATOR_OUTCOME_DELAY_MS }),
    },
    { provide: VOICE_RUNTIME_PROVIDERS, inject: [ProactiveDeliveryConfig, SimulatorVoiceRuntime], useFactory: enabledProviders },
    {
      provide: VOICE_RUNTIME_REGISTRY,
      inject: [VOICE_RUNTIME_PROVIDERS],
      useFactory: (providers: VoiceRuntimeProvider[]) => new VoiceRuntimeProviders(providers),
    },
  ],
  exports: [VOICE_RUNTIME_REGISTRY, SimulatorVoiceRuntime],
})
export class VoiceRuntimeModule {}
