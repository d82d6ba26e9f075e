// Prisma CLI configuration (Prisma 7). The app itself never reads this file: it builds its own
// client with @prisma/adapter-pg and applies migrations with server/db/migrator.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unset' },
});
