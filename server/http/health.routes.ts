// Health probes for supervisors and load balancers.
//   GET /api/health/live   the process answers (no dependency is touched): restart it if not.
//   GET /api/health/ready  the database answers within READY_TIMEOUT_MS, and the socket adapter
//                          is connected (Redis with SOCKET_ADAPTER=redis, the LISTEN connection
//                          with SOCKET_ADAPTER=postgres), and the process is not draining
//                          before a stop: send it traffic only while this says 200.
import type { FastifyInstance } from 'fastify';
import { RETRY_AFTER_SECONDS } from './error-handler.js';

/** How long each dependency has to answer the readiness probe. */
export const READY_TIMEOUT_MS = 1000;

export type DependencyCheck = { name: string; check(): Promise<void> };
export type DependencyState = 'ok' | 'unavailable' | 'timeout';

async function probe(dependency: DependencyCheck): Promise<DependencyState> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<DependencyState>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
  });
  const answer = dependency.check().then(
    (): DependencyState => 'ok',
    (): DependencyState => 'unavailable',
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(
  api: FastifyInstance,
  options: { dependencies: () => DependencyCheck[]; draining: () => boolean },
) {
  const hidden = { config: { public: true }, schema: { hide: true } };
  api.get('/health/live', hidden, async () => ({ ok: true }));
  api.get('/health/ready', hidden, async (_request, reply) => {
    if (options.draining()) {
      reply.status(503).header('Retry-After', String(RETRY_AFTER_SECONDS));
      return { ok: false, draining: true, checks: {} };
    }
    const dependencies = options.dependencies();
    const states = await Promise.all(dependencies.map(probe));
    const checks = Object.fromEntries(dependencies.map((dependency, i) => [dependency.name, states[i]]));
    const ok = states.every((state) => state === 'ok');
    if (!ok) reply.status(503).header('Retry-After', String(RETRY_AFTER_SECONDS));
    return { ok, checks };
  });
}
