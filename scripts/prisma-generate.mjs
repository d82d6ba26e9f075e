// Runs `prisma generate` on machines that cannot download Prisma's native schema engine.
// Generating the client needs no engine (the query compiler is WebAssembly), but the CLI insists
// on finding one, so it is pointed at any existing file unless the caller named a real engine.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
