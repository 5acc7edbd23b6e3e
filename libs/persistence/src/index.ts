export * from './database-url';
export * from './sql';
export * from './pg-sql';
export * from './prisma-adapter';
export * from './service-prisma-client';
export * from './secret-box';
export * from './notifications';
export * from './coalesced-writes';
