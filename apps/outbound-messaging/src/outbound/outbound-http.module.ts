import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { OutboundMessagingConfig } from '../config';

/**
 * The one SSRF-guarded HTTP client (P2.5) for every provider address an administrator configured
 * (a Twilio API base URL, an ACS endpoint), with the deployment's allow-list.
 */
@Global()
@Module({
  providers: [
    {
      provide: OutboundHttpClient,
      inject: [OutboundMessagingConfig],
      useFactory: (config: OutboundMessagingConfig) => new OutboundHttpClient({ allow: config.OUTBOUND_HTTP_ALLOW, maxResponseBytes: config.OUTBOUND_HTTP_MAX_RESPONSE_BYTES }),
    },
  ],
  exports: [OutboundHttpClient],
})
export class OutboundHttpModule implements OnApplicationShutdown {
  constructor(@Inject(OutboundHttpClient) private readonly client: OutboundHttpClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
