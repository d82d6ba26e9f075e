// Domain errors. Services throw AppError; the HTTP error handler and the socket ack helper turn it
// into `{ error: { code, message } }` with the status given here.
import { type ErrorBody, ErrorCode, RETRYABLE_ERROR_CODES } from '../common/errors.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
        ...(RETRYABLE_ERROR_CODES.includes(this.code) ? { retryable: true } : {}),
      },
    };
  }
}

export const errors = {
  validation: (message: string, details?: unknown) => new AppError(400, ErrorCode.VALIDATION_FAILED, message, details),
  unauthenticated: (message = 'Sign in first.') => new AppError(401, ErrorCode.UNAUTHENTICATED, message),
  tokenExpired: () => new AppError(401, ErrorCode.TOKEN_EXPIRED, 'Your session token has expired.'),
  forbidden: (message = 'You do not have permission to do this.') => new AppError(403, ErrorCode.FORBIDDEN, message),
  /** Also used for records the caller may not see, so that ids cannot be probed. */
  notFound: (what = 'Resource') => new AppError(404, ErrorCode.NOT_FOUND, `${what} not found.`),
  conflict: (message: string) => new AppError(409, ErrorCode.CONFLICT, message),
  databaseUnavailable: (message = 'The database is not available right now. Try again in a few seconds.') =>
    new AppError(503, ErrorCode.DATABASE_UNAVAILABLE, message),
  serviceUnavailable: (message = 'The service is not available right now. Try again in a few seconds.') =>
    new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, message),
};
