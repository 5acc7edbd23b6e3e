import { defineConfig } from 'prisma/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- Prisma's config loader does not resolve tsconfig paths
import { serviceDatabaseUrl } from '../../libs/persistence/src/database-url';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: serviceDatabaseUrl('storage_export') },
});
