import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Each tenant's sealed ingress secret (P1.4, P2.4): ciphertext only. */
@Injectable()
export class IngressSecretsRepository {
  constructor(private readonly database: PrismaService) {}

  async save(tenantId: string, secretCiphertext: string): Promise<void> {
    await this.database.ingressSecret.upsert({ where: { tenantId }, create: { tenantId, secretCiphertext }, update: { secretCiphertext } });
  }

  async ciphertextOf(tenantId: string): Promise<string | undefined> {
    return (await this.database.ingressSecret.findUnique({ where: { tenantId } }))?.secretCiphertext;
  }
}
