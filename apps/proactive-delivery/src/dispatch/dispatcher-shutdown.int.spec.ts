import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '@switchboard/clock';
import { CREATE_PATH, createConfiguration, SUPERVISOR, TENANT_A } from '../test-support/fixtures';
import { startProactiveTestApp } from '../test-support/test-app';
import { SimulatorVoiceRuntime } from '../voice-runtime/simulator-voice-runtime';
import { DispatchSignal } from './dispatch-signal';

// Tuesday 2099-01-06, 15:00 UTC = 10:00 in New York: inside the callee's 08:00–21:00.
const T0 = new Date('2099-01-06T15:00:00.000Z');

describe('Dispatcher shutdown (P4.3)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('P4.3 app.close() during a dispatch round returns when the round ends, not after the next poll interval', async () => {
    // A poll interval longer than this test's timeout: waiting for it would fail the test.
    const app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
    let closing: Promise<void> | undefined;
    try {
      vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(T0);
      const configId = await createConfiguration(app, TENANT_A);
      const body = {
        ApiVersion: '1.0',
        ProactiveEngagementConfigId: configId,
        DestinationPhoneNumber: '+12125550120',
        ContactId: '761e062f-c734-ef11-8e4f-00224808a166',
        Windows: [{ Start: T0.toISOString(), End: '2099-01-06T20:00:00.000Z' }],
      };
      expect((await app.call(CREATE_PATH, { method: 'POST', tenantId: TENANT_A, roles: SUPERVISOR, body: JSON.stringify(body) })).status).toBe(200);

      // The round's dial is held open until the app has been asked to close.
      let dialEntered!: () => void;
      let releaseDial!: () => void;
      const entered = new Promise<void>((resolve) => (dialEntered = resolve));
      const held = new Promise<void>((resolve) => (releaseDial = resolve));
      vi.spyOn(app.app.get(SimulatorVoiceRuntime), 'dial').mockImplementation(async () => {
        dialEntered();
        await held;
        return { providerCallId: 'held-dial' };
      });
      // Wakes the dispatcher's loop (the Clock says T0, so the delivery is due in this round).
      app.app.get(DispatchSignal).dueAt(new Date());
      await entered;

      closing = app.close();
      releaseDial();
      await closing;
    } finally {
      if (!closing) await app.close();
    }
  });
});
