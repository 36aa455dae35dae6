// The fetch wrapper: CSRF header on writes, the server's message in a toast, 401 handed to the handler.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, fieldErrors, setCsrfToken, setUnauthorizedHandler } from './api-client';
import { dismissAll } from './notifications';
import * as notifications from './notifications';

function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const fetch = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => {
  setCsrfToken(null);
  setUnauthorizedHandler(() => {});
  dismissAll();
});

describe('api-client', () => {
  it('sends the CSRF token on writes only', async () => {
    setCsrfToken('tok');
    const fetch = respond(200, { ok: true });
    await api.get('/api/me');
    await api.post('/api/tokens', { name: 'x' });
    await api.delete('/api/tokens/1');
    const headers = fetch.mock.calls.map(([, init]) => new Headers(init?.headers).get('X-CSRF-Token'));
    expect(headers).toEqual([null, 'tok', 'tok']);
    expect(fetch.mock.calls[1]![1]!.body).toBe('{"name":"x"}');
  });

  it('toasts the server message and throws it with its details', async () => {
    const notify = vi.spyOn(notifications, 'notify');
    respond(422, { error: { code: 'validation_failed', message: 'Name is taken.', details: [{ field: 'name', problem: 'taken' }] } });
    const error = await api.post('/api/custom-integrations', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_failed');
    expect(fieldErrors(error)).toEqual({ name: 'taken' });
    expect(notify).toHaveBeenCalledWith({ kind: 'error', title: 'Name is taken.' });
  });

  it('stays quiet for statuses the caller handles', async () => {
    const notify = vi.spyOn(notifications, 'notify');
    respond(404, { error: { code: 'not_found', message: 'Nope.' } });
    await expect(api.get('/api/x', { quiet: [404] })).rejects.toMatchObject({ status: 404 });
    expect(notify).not.toHaveBeenCalled();
  });

  it('hands a 401 to the unauthorized handler instead of toasting', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    const notify = vi.spyOn(notifications, 'notify');
    respond(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
    await expect(api.get('/api/custom-integrations')).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(notify).not.toHaveBeenCalled();
    await expect(api.post('/api/auth/login', {}, { allowUnauthenticated: true })).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('explains a server that cannot be reached and a non-JSON error page', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 0, code: 'network_error' });
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 502, message: 'The server answered 502 Bad Gateway.' });
  });

  it('returns undefined for 204 and builds query strings without empty values', async () => {
    respond(204);
    await expect(api.delete('/api/tokens/1')).resolves.toBeUndefined();
    expect(buildUrl('/api/x', { a: 'b c', empty: '', none: null, gone: undefined, n: 5 })).toBe('/api/x?a=b+c&n=5');
  });
});
