import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one worker; server test files mostly wait on
    // PostgreSQL, sockets and child processes, so two at once finish the run far sooner.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          exclude: ['test/realtime/soak.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          // Server test files share each worker's module cache instead of importing the server
          // (Prisma's client, Fastify, Socket.IO) afresh per file: that import cost ~70 s of a
          // run. Every file builds its own app, database and sockets, so nothing else is shared.
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The chaos soak's short run: two nodes, nginx, its own PostgreSQL and Redis, and four
        // faults. It runs alone (npm run test:soak, after the other files): beside them it loaded
        // the two cores enough to starve their own fault-recovery tests.
        test: {
          name: 'soak',
          include: ['test/realtime/soak.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The web app's components and pure helpers, in a simulated browser (no server needed).
        oxc: { jsx: { runtime: 'automatic' } },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts', 'web/src/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['web/src/test/setup.ts'],
        },
      },
    ],
  },
});
