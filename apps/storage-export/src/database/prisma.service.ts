import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import manifest from '../../service.json';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema storage-export owns, from its service.json. */
export const STORAGE_EXPORT_SCHEMA = manifest.schema;

/** storage-export's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type StorageExportTx = TransactionClientOf<PrismaService>;
