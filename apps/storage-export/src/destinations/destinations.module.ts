import { Module } from '@nestjs/common';
import { ConfiguredDestinationFactory } from './configured-destination-factory';
import { DestinationFactory } from './open-destination';

/** Opens tenants' external storage (SFTP, S3-compatible) as StorageDestination. */
@Module({
  providers: [{ provide: DestinationFactory, useClass: ConfiguredDestinationFactory }],
  exports: [DestinationFactory],
})
export class DestinationsModule {}
