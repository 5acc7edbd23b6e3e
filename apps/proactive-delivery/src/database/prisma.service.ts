import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import manifest from '../../service.json';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema proactive-delivery owns, from its service.json. */
export const PROACTIVE_DELIVERY_SCHEMA = manifest.schema;

/** proactive-delivery's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type ProactiveDeliveryTx = TransactionClientOf<PrismaService>;
