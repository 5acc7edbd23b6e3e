import type { InfraKinds } from './infra-picker';

// What global-setup.ts provides and testInfra() injects, typed for both sides.
declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres server URL; the database part is irrelevant (use createTestDatabase). */
    databaseUrl: string;
    kafkaBrokers: string[];
    infraKind: InfraKinds;
  }
}

export {};
