export * from './database-url';
export * from './sql';
export * from './pg-sql';
export * from './prisma-adapter';
export * from './secret-box';
