import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import manifest from '../../service.json';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema outbound-messaging owns, from its service.json. */
export const OUTBOUND_MESSAGING_SCHEMA = manifest.schema;

/** outbound-messaging's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type OutboundMessagingTx = TransactionClientOf<PrismaService>;
