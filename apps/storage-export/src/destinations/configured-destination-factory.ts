import { Injectable } from '@nestjs/common';
import { OutboundAddressPolicy } from '@switchboard/outbound-http';
import { StorageExportConfig } from '../config';
import type { DestinationSettings } from './destination-settings';
import { DestinationFactory } from './open-destination';
import { gcsObjectUrl } from './gcs/gcs-url';
import { LazyDestination } from './lazy-destination';
import { s3ObjectUrl } from './s3/s3-url';
import { SftpDestination } from './sftp/sftp-destination';
import type { StorageDestination } from './storage-destination';

/** Opens destinations with the deployment's SSRF allow-list, session count and timeout. */
@Injectable()
export class ConfiguredDestinationFactory extends DestinationFactory {
  private readonly policy: OutboundAddressPolicy;

  constructor(private readonly config: StorageExportConfig) {
    super();
    this.policy = OutboundAddressPolicy.fromEntries(config.OUTBOUND_HTTP_ALLOW);
  }

  open(settings: DestinationSettings): StorageDestination {
    const timeoutMs = this.config.DESTINATION_TIMEOUT_MS;
    switch (settings.backend) {
      case 'sftp':
        return new SftpDestination(settings, { policy: this.policy, sessions: this.config.SFTP_SESSIONS_PER_DESTINATION, timeoutMs });
      // The bucket SDKs are loaded by the first tenant that uses them (LazyDestination), not at start.
      case 's3': {
        const load = async () => new (await import('./s3/s3-destination')).S3Destination(settings, { policy: this.policy, timeoutMs });
        return new LazyDestination('s3', load, (path) => s3ObjectUrl(settings, path));
      }
      case 'gcs': {
        const options = { apiEndpoint: this.config.GCS_API_ENDPOINT, tokenUrl: this.config.GCS_TOKEN_URL, timeoutMs };
        const load = async () => new (await import('./gcs/gcs-destination')).GcsDestination(settings, options);
        return new LazyDestination('gcs', load, (path) => gcsObjectUrl(settings, options.apiEndpoint, path));
      }
    }
  }
}
