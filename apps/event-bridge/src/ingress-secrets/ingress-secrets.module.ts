import { Module } from '@nestjs/common';
import { IngressSecretsController } from './ingress-secrets.controller';
import { IngressSecretsRepository } from './ingress-secrets.repository';
import { IngressSecretsService } from './ingress-secrets.service';

@Module({ controllers: [IngressSecretsController], providers: [IngressSecretsRepository, IngressSecretsService], exports: [IngressSecretsService] })
export class IngressSecretsModule {}
