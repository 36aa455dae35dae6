// The one fetch wrapper: JSON in and out, the CSRF header on every write, the server's error message in a
// toast, and a 401 hands over to the session-expired handler (which sends the person to sign-in).

import { notify } from './notifications';

export type ErrorDetail = { field: string; problem: string };

/** A failed call: HTTP status (0 when the server could not be reached) and the server's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Seconds from a 429's Retry-After header, else null. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export type RequestOptions = {
  /** Sent as JSON. */
  body?: unknown;
  /** Query parameters; undefined, null and '' are left out. */
  params?: Record<string, string | number | boolean | null | undefined>;
  /** Statuses the caller shows itself: no toast for them. */
  quiet?: number[];
  /** A 401 is an answer here (sign-in, the session probe), not an expired session. */
  allowUnauthenticated?: boolean;
  signal?: AbortSignal;
};

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** Sets the CSRF token sent with writes; null after sign-out. Kept in memory only, never in storage. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Installs what runs when a call answers 401 (the session expired or was revoked). */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

/** Builds "/api/x?a=1" from a path and parameters, skipping empty values. */
export function buildUrl(path: string, params?: RequestOptions['params']): string {
  if (!params) {
    return path;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('Retry-After');
  const retrySeconds = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let code = `http_${response.status}`;
  let message = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  let details: ErrorDetail[] = [];
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      details = Array.isArray(body.error.details) ? body.error.details : [];
    }
  } catch {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  if (response.status === 429 && retrySeconds !== null && !message.includes(String(retrySeconds))) {
    message = `${message} Try again in ${retrySeconds} s.`;
  }
  return new ApiError(response.status, code, message, details, retrySeconds);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.params), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    const error = new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
    notify({ kind: 'error', title: error.message });
    throw error;
  }
  if (response.ok) {
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const error = await toApiError(response);
  if (response.status === 401 && !options.allowUnauthenticated) {
    onUnauthorized();
    throw error;
  }
  if (!options.quiet?.includes(response.status)) {
    notify({ kind: 'error', title: error.message });
  }
  throw error;
}

/** Calls the connector's API. Every method throws ApiError on failure, after the toast. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** Turns an error's details into {field path: problem}; the first problem per field wins. */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const detail of error.details) {
      if (detail.field && !(detail.field in result)) {
        result[detail.field] = detail.problem;
      }
    }
  }
  return result;
}
