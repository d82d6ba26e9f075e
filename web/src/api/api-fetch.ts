// The one way the web app talks to the HTTP API: adds the bearer token, sends and parses JSON,
// and turns `{ error: { code, message } }` into a typed ApiError.
import { ApiError, toApiError } from './api-error';

export type QueryValue = string | number | boolean | null | undefined;

export type ApiRequest = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
};

type TokenSource = {
  getToken: () => string | null;
  /** Told about 401s that mean the session is over, so the app can send the person to sign in. */
  onUnauthorized: (error: ApiError) => void;
};

let tokens: TokenSource = { getToken: () => null, onUnauthorized: () => {} };

/** Wired once by the auth module. */
export function configureApiAuth(source: TokenSource) {
  tokens = source;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function authHeaders(): Record<string, string> {
  const token = tokens.getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function reportAuthFailure(error: ApiError, hadToken: boolean) {
  const sessionOver =
    error.status === 401 && (error.code === 'TOKEN_EXPIRED' || error.code === 'SESSION_EXPIRED' || hadToken);
  if (sessionOver) tokens.onUnauthorized(error);
}

export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  const hadToken = 'Authorization' in headers;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(buildUrl(path, request.query), {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw new ApiError(0, 'ABORTED', 'The request was cancelled.');
    throw toApiError(0, error);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = toApiError(response.status, body);
    reportAuthFailure(error, hadToken);
    throw error;
  }
  return body as T;
}

/** A GET whose answer is a file (e.g. CSV): the bearer token goes in the header, so no plain link. */
export async function apiDownload(path: string, query?: Record<string, QueryValue>): Promise<Blob> {
  const headers = authHeaders();
  const response = await fetch(buildUrl(path, query), { headers });
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const error = toApiError(response.status, body);
    reportAuthFailure(error, 'Authorization' in headers);
    throw error;
  }
  return response.blob();
}

/**
 * Multipart upload with progress (fetch cannot report upload progress, XMLHttpRequest can).
 * `onProgress` gets the fraction sent, 0..1.
 */
export function apiUpload<T>(
  path: string,
  form: FormData,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const headers = authHeaders();
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        resolve(body as T);
        return;
      }
      const error = toApiError(xhr.status, body);
      reportAuthFailure(error, 'Authorization' in headers);
      reject(error);
    };
    xhr.onerror = () => reject(toApiError(0, null));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'The upload was cancelled.'));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new ApiError(0, 'ABORTED', 'The upload was cancelled.'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
