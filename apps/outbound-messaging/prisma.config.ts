import { defineConfig } from 'prisma/config';
import { serviceDatabaseUrl } from '../../libs/persistence/src/database-url';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: serviceDatabaseUrl('outbound_messaging') },
});
