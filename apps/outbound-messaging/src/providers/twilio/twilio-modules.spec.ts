import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Its own file: vitest runs each file in a fresh process, so no other test has loaded the SDK's resources yet.
describe('Twilio SDK modules (sender start-up)', () => {
  it('OM3.4 the Messages resource is loaded with the provider, at start, not on the first send', async () => {
    const require = createRequire(__filename);
    const messagesModule = require.resolve('twilio/lib/rest/api/v2010/account/message');
    expect(require.cache[messagesModule]).toBeUndefined();

    await import('./twilio-provider');

    expect(require.cache[messagesModule]).toBeDefined();
  });
});
