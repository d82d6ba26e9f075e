import type { ErrorCode } from '../../../common/errors';

/** Codes the client adds for failures that never reached the API's error handler. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'ABORTED' | 'BAD_RESPONSE';

/** A failed API call: the server's `{ error: { code, message, details } }`, or a client-side failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error instanceof ApiError) return error.message || fallback;
  return fallback;
}

/** Builds an ApiError from a response body; tolerates bodies that are not the API's error shape. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : 'The request failed.';
    return new ApiError(status, error.code as ErrorCode, message, error.details);
  }
  if (status === 0) return new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server. Check your connection.');
  return new ApiError(status, 'BAD_RESPONSE', `The server answered with an unexpected error (${status}).`);
}

/**
 * Field messages of a VALIDATION_FAILED error, keyed by dotted path. The server sends
 * `{ fieldErrors: { field: [messages] } }`; an array of `{ path, message }` is read too.
 */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return {};
  const details = error.details;
  const result: Record<string, string[]> = {};
  const add = (path: string, message: string) => {
    result[path] = [...(result[path] ?? []), message];
  };
  if (Array.isArray(details)) {
    for (const item of details) {
      if (item && typeof item === 'object' && typeof item.message === 'string') {
        const path = Array.isArray(item.path) ? item.path.join('.') : String(item.path ?? '_');
        add(path || '_', item.message);
      }
    }
  } else if (details && typeof details === 'object' && 'fieldErrors' in details) {
    const fieldErrors = (details as { fieldErrors: unknown }).fieldErrors;
    if (fieldErrors && typeof fieldErrors === 'object') {
      for (const [path, messages] of Object.entries(fieldErrors)) {
        for (const message of Array.isArray(messages) ? messages : [messages]) {
          if (typeof message === 'string') add(path, message);
        }
      }
    }
  }
  return result;
}
