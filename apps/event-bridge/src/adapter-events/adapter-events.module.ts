import { Module } from '@nestjs/common';
import { IngressSecretsModule } from '../ingress-secrets/ingress-secrets.module';
import { AdapterEventsController } from './adapter-events.controller';
import { AdapterEventsRepository } from './adapter-events.repository';
import { AdapterEventsService } from './adapter-events.service';

@Module({ imports: [IngressSecretsModule], controllers: [AdapterEventsController], providers: [AdapterEventsRepository, AdapterEventsService] })
export class AdapterEventsModule {}
