import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { OutboundHttpClient } from '@switchboard/outbound-http';
import { CrmSyncConfig } from '../config';

/**
 * The one SSRF-guarded HTTP client (P2.5) through which crm-sync calls every URL an administrator
 * configured (Dynamics, token endpoints, CRM endpoints), with the deployment's allow-list.
 */
@Global()
@Module({
  providers: [
    {
      provide: OutboundHttpClient,
      inject: [CrmSyncConfig],
      useFactory: (config: CrmSyncConfig) => new OutboundHttpClient({ allow: config.OUTBOUND_HTTP_ALLOW, maxResponseBytes: config.OUTBOUND_HTTP_MAX_RESPONSE_BYTES }),
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
