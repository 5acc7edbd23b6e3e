import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** crm-sync's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type CrmSyncTx = TransactionClientOf<PrismaService>;
