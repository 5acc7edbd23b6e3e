import { VoiceRuntimeProvider, VoiceRuntimeRegistry } from './voice-runtime';

/** The providers this process dials through, looked up by the name a configuration's outbound profile gives. */
export class VoiceRuntimeProviders implements VoiceRuntimeRegistry {
  private readonly byName = new Map<string, VoiceRuntimeProvider>();

  constructor(providers: readonly VoiceRuntimeProvider[]) {
    for (const provider of providers) {
      if (this.byName.has(provider.name)) throw new Error(`Two voice runtime providers are named "${provider.name}"`);
      this.byName.set(provider.name, provider);
    }
  }

  get(name: string): VoiceRuntimeProvider | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
