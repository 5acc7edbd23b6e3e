import type { ProactiveDeliveryConfig } from '../config';
import type { HttpVoiceRuntimeOptions } from './http-voice-runtime';

type VoiceRuntimeSettings = Pick<
  ProactiveDeliveryConfig,
  'NODE_ENV' | 'VOICE_SIMULATOR_ENABLED' | 'VOICE_HTTP_URL' | 'VOICE_HTTP_SIGNING_SECRET' | 'VOICE_HTTP_TIMEOUT_MS'
>;

/**
 * The simulator is on unless VOICE_SIMULATOR_ENABLED=false; in production it is off unless
 * explicitly enabled, so real customers are never "called" by a simulator by accident.
 */
export function isSimulatorEnabled(config: Pick<VoiceRuntimeSettings, 'NODE_ENV' | 'VOICE_SIMULATOR_ENABLED'>): boolean {
  if (config.VOICE_SIMULATOR_ENABLED !== undefined) return config.VOICE_SIMULATOR_ENABLED;
  return config.NODE_ENV !== 'production';
}

/** The HTTP provider's settings when VOICE_HTTP_URL is set; throws at start-up when they are incomplete. */
export function httpVoiceRuntimeOptions(config: VoiceRuntimeSettings): HttpVoiceRuntimeOptions | undefined {
  if (!config.VOICE_HTTP_URL) return undefined;
  if (!config.VOICE_HTTP_SIGNING_SECRET)
    throw new Error(
      'VOICE_HTTP_URL is set but VOICE_HTTP_SIGNING_SECRET is not: dial requests to the HTTP voice runtime must be signed. ' +
        'Set VOICE_HTTP_SIGNING_SECRET, or unset VOICE_HTTP_URL to run without the HTTP provider.',
    );
  return { url: config.VOICE_HTTP_URL, signingSecret: config.VOICE_HTTP_SIGNING_SECRET, timeoutMs: config.VOICE_HTTP_TIMEOUT_MS };
}
