import type { ServiceManifest } from '@switchboard/service-manifest';

/** Set to `off` to start services without their manifests' runtime tuning (to measure what it does: A/B). */
export const RUNTIME_ENV_SWITCH = 'SWITCHBOARD_RUNTIME_ENV';

/**
 * A service process's environment: the inherited one, the manifest's runtime tuning (memory flags), then the
 * caller's variables. NODE_OPTIONS is joined, not replaced, so a caller's preload (the benchmarks' profiler)
 * keeps the manifest's heap flags.
 */
export function serviceProcessEnv(inherited: NodeJS.ProcessEnv, manifest: Pick<ServiceManifest, 'runtimeEnv'> | undefined, own: Record<string, string>): NodeJS.ProcessEnv {
  const tuning: Record<string, string> = inherited[RUNTIME_ENV_SWITCH] === 'off' ? {} : { ...manifest?.runtimeEnv };
  const nodeOptions = [tuning['NODE_OPTIONS'], own['NODE_OPTIONS'] ?? inherited['NODE_OPTIONS']].filter(Boolean).join(' ');
  return { ...inherited, ...tuning, ...own, ...(nodeOptions && { NODE_OPTIONS: nodeOptions }) };
}
