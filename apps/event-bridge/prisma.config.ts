import { defineConfig } from 'prisma/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- Prisma's config loader does not resolve tsconfig paths
import { servicePrismaConfig } from '../../libs/persistence/src/migrate/prisma-service-config';
import manifest from './service.json';

export default defineConfig(servicePrismaConfig(manifest.schema));
