import { Global, Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { SettingsModule } from '../settings/settings.module';
import { DIAL_OUTCOME_SINK } from '../voice-runtime/voice-runtime';
import { VoiceRuntimeModule } from '../voice-runtime/voice-runtime.module';
import { DispatchRepository } from './dispatch.repository';
import { Dispatcher } from './dispatcher.service';
import { DispatchSignal } from './dispatch-signal';
import { OutcomesService } from './outcomes.service';

/** Outcomes are global (the voice runtimes report to them); the dispatcher claims and dials. */
@Global()
@Module({
  imports: [VoiceRuntimeModule, ConsentModule, SettingsModule],
  providers: [DispatchRepository, OutcomesService, { provide: DIAL_OUTCOME_SINK, useExisting: OutcomesService }, DispatchSignal, Dispatcher],
  exports: [OutcomesService, DIAL_OUTCOME_SINK, DispatchSignal, Dispatcher],
})
export class DispatchModule {}
