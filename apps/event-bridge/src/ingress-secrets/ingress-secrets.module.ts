import { Module } from '@nestjs/common';
import { IngressSecretsController } from './ingress-secrets.controller';
import { IngressSecretsService } from './ingress-secrets.service';

@Module({ controllers: [IngressSecretsController], providers: [IngressSecretsService], exports: [IngressSecretsService] })
export class IngressSecretsModule {}
