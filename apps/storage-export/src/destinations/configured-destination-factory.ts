import { Injectable } from '@nestjs/common';
import { OutboundAddressPolicy } from '@switchboard/outbound-http';
import { StorageExportConfig } from '../config';
import type { DestinationSettings } from './destination-settings';
import { DestinationFactory } from './open-destination';
import { GcsDestination } from './gcs/gcs-destination';
import { S3Destination } from './s3/s3-destination';
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
      case 's3':
        return new S3Destination(settings, { policy: this.policy, timeoutMs });
      case 'gcs':
        return new GcsDestination(settings, { apiEndpoint: this.config.GCS_API_ENDPOINT, tokenUrl: this.config.GCS_TOKEN_URL, timeoutMs });
    }
  }
}
