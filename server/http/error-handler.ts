// One error handler for the whole API: every failure leaves as `{ error: { code, message } }`.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorBody, ErrorCode } from '../../common/errors.js';
import { asDatabaseUnavailable, reportDatabaseFault } from '../db/availability.js';
import { AppError, errors } from '../errors.js';
import { describeRequest } from '../logger.js';
import { RateLimitedError } from '../platform/limits/rate-limits.js';

/** Retry-After of a 503: about how long a database reconnect or restart takes. */
export const RETRY_AFTER_SECONDS = 5;

const statusCodes: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.VALIDATION_FAILED,
  429: ErrorCode.RATE_LIMITED,
};

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const unavailable = asDatabaseUnavailable(error);
    if (unavailable) reportDatabaseFault(request.log, 'http request', error);
    const appError = error instanceof AppError ? error : unavailable;
    if (appError) {
      if (appError instanceof RateLimitedError) reply.header('Retry-After', String(appError.retryAfterSeconds));
      else if (appError.status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return reply.status(appError.status).send(appError.toBody());
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of error.validation) {
        const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '_';
        fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message ?? 'Invalid value.'];
      }
      const where = error.validationContext ? ` (${error.validationContext})` : '';
      return reply.status(400).send(errors.validation(`The request is not valid${where}.`, { fieldErrors }).toBody());
    }
    const { statusCode } = error as FastifyError;
    const status = statusCode && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error, http: describeRequest(request) }, 'unexpected error');
    }
    const body: ErrorBody = {
      error: {
        code: statusCodes[status] ?? ErrorCode.INTERNAL,
        message:
          status === 500 ? 'Something went wrong on our side.' : error.message || 'The request could not be processed.',
      },
    };
    return reply.status(status).send(body);
  });
}
