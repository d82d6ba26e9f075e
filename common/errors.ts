// Stable error codes of the HTTP API and the socket acks: `{ error: { code, message } }`.
// Clients branch on `code`; `message` is for people and may change.
import { z } from 'zod';

export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** "Take" lost: someone else has the conversation; details.assignee names them. */
  ALREADY_ASSIGNED: 'ALREADY_ASSIGNED',
  /** HTTP 409: the chosen agent is away or offline; send { force: true } to assign anyway. */
  AGENT_UNAVAILABLE: 'AGENT_UNAVAILABLE',
  /** HTTP 409: the chosen agent has their maximum of open conversations; { force: true } to assign anyway. */
  AGENT_AT_CAPACITY: 'AGENT_AT_CAPACITY',
  RATE_LIMITED: 'RATE_LIMITED',
  CONVERSATION_LIMIT_REACHED: 'CONVERSATION_LIMIT_REACHED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_TOO_LARGE',
  ATTACHMENT_TYPE_NOT_ALLOWED: 'ATTACHMENT_TYPE_NOT_ALLOWED',
  ATTACHMENT_EMPTY: 'ATTACHMENT_EMPTY',
  ATTACHMENT_MISSING: 'ATTACHMENT_MISSING',
  MULTIPART_INVALID: 'MULTIPART_INVALID',
  TOO_MANY_FILES: 'TOO_MANY_FILES',
  TOO_MANY_FIELDS: 'TOO_MANY_FIELDS',
  MESSAGE_EMPTY: 'MESSAGE_EMPTY',
  MESSAGE_TOO_LONG: 'MESSAGE_TOO_LONG',
  CONVERSATION_RESOLVED: 'CONVERSATION_RESOLVED',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** HTTP 409: only a resolved conversation can be rated. */
  RATING_NOT_OPEN: 'RATING_NOT_OPEN',
  /** HTTP 409: the rating can no longer be changed (24 hours after it was given). */
  RATING_CLOSED: 'RATING_CLOSED',
  /** HTTP 503: this server has no web push keys (VAPID) configured. */
  PUSH_NOT_CONFIGURED: 'PUSH_NOT_CONFIGURED',
  /** HTTP 400: the push subscription's endpoint is not a push service this server sends to. */
  PUSH_ENDPOINT_NOT_ALLOWED: 'PUSH_ENDPOINT_NOT_ALLOWED',
  /** HTTP 409: the notification is no longer failed (already retried or dismissed). */
  NOTIFICATION_NOT_FAILED: 'NOTIFICATION_NOT_FAILED',
  SIGNATURE_EXPIRED: 'SIGNATURE_EXPIRED',
  /** HTTP 503: the database cannot be reached, did not answer in time, or is saturated. Retry later. */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** HTTP 503: another dependency (or the server itself) cannot serve now. Retry later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  // Conversation workflow (status, snooze, priority)
  /** HTTP 400: a snooze must end in the future and at most MAX_SNOOZE_DAYS from now. */
  SNOOZE_TIME_INVALID: 'SNOOZE_TIME_INVALID',
  // Saved replies
  /** HTTP 400: the body uses a {{variable}} that is not offered; details.variables lists them. */
  SAVED_REPLY_UNKNOWN_VARIABLE: 'SAVED_REPLY_UNKNOWN_VARIABLE',
  /** HTTP 409: another saved reply has this shortcut (shortcuts are unique whatever their case). */
  SAVED_REPLY_SHORTCUT_TAKEN: 'SAVED_REPLY_SHORTCUT_TAKEN',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown; retryable?: boolean } };

/**
 * Codes that say "nothing is wrong with your request or your session: try the same again later"
 * (their errors carry `retryable: true`). A client keeps the session and retries with backoff.
 */
export const RETRYABLE_ERROR_CODES: readonly ErrorCode[] = [
  ErrorCode.DATABASE_UNAVAILABLE,
  ErrorCode.SERVICE_UNAVAILABLE,
];

/**
 * `details` of a VALIDATION_FAILED error: messages by field, keyed by the field's dotted path in
 * the request (e.g. "maxAttachmentSizeMB", "allowedAttachmentTypes.0", "message.body"; "_" for
 * the request as a whole).
 */
export type ValidationDetails = { fieldErrors: Record<string, string[]> };

export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
    retryable: z.boolean().optional(),
  }),
});
