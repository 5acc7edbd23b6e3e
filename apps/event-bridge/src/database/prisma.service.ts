import { servicePrismaClient, type TransactionClientOf } from '@switchboard/persistence';
import manifest from '../../service.json';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema event-bridge owns, from its service.json. */
export const EVENT_BRIDGE_SCHEMA = manifest.schema;

/** event-bridge's database: its own schema only; Prisma and plain SQL share one pool. */
export class PrismaService extends servicePrismaClient(PrismaClient) {}

export type EventBridgeTx = TransactionClientOf<PrismaService>;
