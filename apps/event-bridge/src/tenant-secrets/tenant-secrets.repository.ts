import { Injectable } from '@nestjs/common';
import { quoteIdentifier } from '@switchboard/persistence';
import { EVENT_BRIDGE_SCHEMA, PrismaService } from '../database/prisma.service';

/** Where each kind of tenant secret is kept: a table of its own, ciphertext only (P2.4). */
const STORES = {
  /** HMAC secret of signed adapter-event posts (P1.4). */
  ingressHmac: { table: 'ingress_secret', column: 'secret_ciphertext' },
  /** Key the customer's server signs custom_data_secured with (EB1.3). */
  customDataKey: { table: 'custom_data_key', column: 'key_ciphertext' },
} as const;

export type SecretPurpose = keyof typeof STORES;

const statements = Object.fromEntries(
  Object.entries(STORES).map(([purpose, { table, column }]) => {
    const qualified = `${quoteIdentifier(EVENT_BRIDGE_SCHEMA)}.${table}`;
    return [
      purpose,
      {
        save: `INSERT INTO ${qualified} (tenant_id, ${column}, updated_at) VALUES ($1, $2, now())
               ON CONFLICT (tenant_id) DO UPDATE SET ${column} = EXCLUDED.${column}, updated_at = EXCLUDED.updated_at`,
        read: `SELECT ${column} AS ciphertext FROM ${qualified} WHERE tenant_id = $1`,
      },
    ];
  }),
) as Record<SecretPurpose, { save: string; read: string }>;

/** Each tenant's sealed secrets. */
@Injectable()
export class TenantSecretsRepository {
  constructor(private readonly database: PrismaService) {}

  async save(tenantId: string, purpose: SecretPurpose, ciphertext: string): Promise<void> {
    await this.database.$executeRawUnsafe(statements[purpose].save, tenantId, ciphertext);
  }

  async ciphertextOf(tenantId: string, purpose: SecretPurpose): Promise<string | undefined> {
    const [row] = await this.database.$queryRawUnsafe<{ ciphertext: string }[]>(statements[purpose].read, tenantId);
    return row?.ciphertext;
  }
}
