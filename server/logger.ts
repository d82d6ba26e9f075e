// Application logger (pino). Personal data and secrets are redacted by key wherever they appear
// in a logged object, so a careless `log.info({ user })` cannot leak an e-mail or a message body.
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';

/** Object keys whose values never reach the log. */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'authorization',
  'cookie',
  'secret',
  'jwtSecret',
  'urlSecret',
  'sig',
  'email',
  'phone',
  'fullName',
  'displayName',
  'name',
  'contactName',
  'address',
  'defaultAddress',
  'body',
  'preview',
  'subject',
  'fileName',
  'filename',
] as const;

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: [...redactPaths, 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      base: undefined,
      // Fastify's own error lines log the request; method and path are enough (see describeRequest).
      serializers: { req: describeRequest, err: serializeError },
    },
    destination,
  );
}

/**
 * pino's error serializer, less the `pg` client that pg-pool attaches to connection errors (its
 * connection settings and the backend's secret key must not reach the log).
 */
function serializeError(error: Error) {
  const { client: _client, ...serialized } = pino.stdSerializers.err(error) as ReturnType<
    typeof pino.stdSerializers.err
  > & { client?: unknown };
  return serialized;
}

/** Request line for logs: method and path only (query strings can carry signed-URL signatures). */
export function describeRequest(request: { method: string; url: string }) {
  return { method: request.method, path: request.url.split('?')[0] };
}

/** Fastify's per-request log lines: one line per completed request, without query string. */
export class RequestLogController extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const line = { http: describeRequest(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }
}

/**
 * Readable log lines for a developer's terminal (pino-pretty, a development dependency); JSON when
 * it is not installed, as in a production install.
 */
export async function prettyDestination(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}
