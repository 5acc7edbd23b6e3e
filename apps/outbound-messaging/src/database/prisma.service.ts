import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** outbound-messaging's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type OutboundMessagingTx = TransactionClientOf<PrismaService>;
