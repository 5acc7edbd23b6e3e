import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import manifest from '../../service.json';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema crm-sync owns, from its service.json. */
export const CRM_SYNC_SCHEMA = manifest.schema;

/** crm-sync's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type CrmSyncTx = TransactionClientOf<PrismaService>;
