// An in-memory stand-in for the connector's HTTP API, installed as window.fetch under the api-client. It keeps
// the contract's rules that the UI depends on (cookie session, CSRF header on writes, 401/404/409/422 shapes)
// and records every request so tests can check what the UI sent. Tests may override any route with on().

import type { CredentialMeta, Execution, Integration, IntegrationInput, JsonValue } from '@/types/api';

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
};

export type FakeResponse = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (request: FakeRequest, params: string[]) => FakeResponse | undefined;
type Route = { method: string; pattern: RegExp; handler: Handler; once: boolean };

type FakeUser = { id: string; email: string; name: string; password: string; workspaceId: string };

const NOW = '2026-11-24T10:00:00Z';

/** The error body of the contract. */
export function errorBody(code: string, message: string, details?: { field: string; problem: string }[]) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

export class FakeApi {
  users: FakeUser[] = [{ id: 'u1', email: 'owner@example.com', name: 'Olive Owner', password: 'correct horse', workspaceId: 'w1' }];
  setupRequired = false;
  /** The signed-in user's id (the cookie), or null. */
  sessionUser: string | null = 'u1';
  csrfToken = 'csrf-token-1';
  integrations: (Integration & { workspaceId: string })[] = [];
  credentials = new Map<string, { meta: CredentialMeta; secret: string }>();
  executions: (Execution & { workspaceId: string })[] = [];
  requests: FakeRequest[] = [];
  private overrides: Route[] = [];
  private routes: Route[] = [];
  private nextId = 1;

  constructor() {
    this.routes = this.defaultRoutes();
  }

  /** Adds an integration to a workspace (default: the owner's) and returns it. */
  addIntegration(partial: Partial<Integration> & { name: string }, workspaceId = 'w1'): Integration {
    const integration = {
      id: `int-${this.nextId++}`,
      display_name: partial.name,
      description: '',
      auth_type: 'api_key' as const,
      base_url: 'https://api.example.com',
      auth_config: { api_key_location: 'header' as const, api_key_name: 'X-API-Key' },
      oauth_config: {},
      headers: {},
      actions: [],
      credential: null,
      created_at: NOW,
      updated_at: NOW,
      ...partial,
      workspaceId,
    };
    this.integrations.push(integration);
    return this.publicIntegration(integration);
  }

  /** Ends the session as if it expired: every authenticated call now answers 401. */
  expireSession() {
    this.sessionUser = null;
  }

  /** Overrides a route; the handler may return undefined to fall through to the default. */
  on(method: string, pattern: RegExp, handler: Handler, options: { once?: boolean } = {}) {
    this.overrides.unshift({ method, pattern, handler, once: options.once ?? false });
  }

  /** Requests whose method and path match. */
  calls(method: string, pattern: RegExp): FakeRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const request: FakeRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    this.requests.push(request);
    const response = this.dispatch(request);
    const body = response.status === 204 || response.body === undefined ? null : JSON.stringify(response.body);
    return new Response(body, { status: response.status, headers: { 'Content-Type': 'application/json', ...response.headers } });
  };

  private dispatch(request: FakeRequest): FakeResponse {
    for (const route of [...this.overrides, ...this.routes]) {
      if (route.method !== request.method) {
        continue;
      }
      const match = route.pattern.exec(request.path);
      if (!match) {
        continue;
      }
      const result = route.handler(request, match.slice(1));
      if (result) {
        if (route.once) {
          this.overrides = this.overrides.filter((r) => r !== route);
        }
        return result;
      }
    }
    return { status: 404, body: errorBody('not_found', `No route for ${request.method} ${request.path}`) };
  }

  private user(): FakeUser | undefined {
    return this.users.find((u) => u.id === this.sessionUser);
  }

  private session(user: FakeUser) {
    return {
      user: { id: user.id, email: user.email, name: user.name },
      workspace: { id: user.workspaceId, name: `${user.name}'s workspace`, role: 'owner' },
      csrf_token: this.csrfToken,
    };
  }

  private publicIntegration(stored: Integration & { workspaceId?: string }): Integration {
    const { workspaceId: _workspace, ...integration } = stored;
    return { ...integration, credential: this.credentials.get(stored.id)?.meta ?? null };
  }

  /** Wraps a handler that needs a signed-in user and, for writes, the CSRF header. */
  private authed(handler: (request: FakeRequest, params: string[], user: FakeUser) => FakeResponse): Handler {
    return (request, params) => {
      const user = this.user();
      if (!user) {
        return { status: 401, body: errorBody('unauthenticated', 'Sign in to continue.') };
      }
      if (request.method !== 'GET' && request.headers['x-csrf-token'] !== this.csrfToken) {
        return { status: 403, body: errorBody('csrf_failed', 'The CSRF token is missing or wrong.') };
      }
      return handler(request, params, user);
    };
  }

  private findIntegration(id: string, user: FakeUser) {
    return this.integrations.find((i) => i.id === id && i.workspaceId === user.workspaceId);
  }

  private validate(input: IntegrationInput, user: FakeUser, exceptId?: string): FakeResponse | undefined {
    const details: { field: string; problem: string }[] = [];
    if (!/^[a-z0-9_]+$/.test(input.name ?? '')) {
      details.push({ field: 'name', problem: 'Use lowercase letters, digits and _ only.' });
    }
    if (!/^https?:\/\/.+/.test(input.base_url ?? '')) {
      details.push({ field: 'base_url', problem: 'Enter an http or https URL.' });
    }
    (input.actions ?? []).forEach((action, i) => {
      if (!/^[a-z0-9_]+$/.test(action.action_id ?? '')) {
        details.push({ field: `actions[${i}].action_id`, problem: 'Use lowercase letters, digits and _ only.' });
      }
    });
    if (details.length > 0) {
      return { status: 422, body: errorBody('validation_failed', 'Some fields are not valid.', details) };
    }
    if (this.integrations.some((i) => i.workspaceId === user.workspaceId && i.name === input.name && i.id !== exceptId)) {
      return { status: 409, body: errorBody('conflict', `An integration named "${input.name}" already exists.`) };
    }
    return undefined;
  }

  private record(user: FakeUser, integration: Integration, kind: 'test' | 'execute', method: string, path: string, actionId: string | null): Execution {
    const execution = {
      id: `exe-${this.nextId++}`,
      integration_id: integration.id,
      integration_name: integration.name,
      action_id: actionId,
      kind,
      method,
      url: `${integration.base_url}${path}`,
      status: 'success' as const,
      status_code: 200,
      attempts: 1,
      duration_ms: 42,
      error_code: null,
      error_message: null,
      created_at: NOW,
      workspaceId: user.workspaceId,
    };
    this.executions.unshift(execution);
    const { workspaceId: _w, ...publicExecution } = execution;
    return publicExecution;
  }

  private defaultRoutes(): Route[] {
    const route = (method: string, pattern: RegExp, handler: Handler): Route => ({ method, pattern, handler, once: false });
    return [
      route('GET', /^\/api\/auth\/status$/, () => ({ status: 200, body: { setup_required: this.setupRequired } })),
      route('POST', /^\/api\/auth\/setup$/, (request) => {
        if (!this.setupRequired) {
          return { status: 409, body: errorBody('conflict', 'Setup is already done.') };
        }
        const body = request.body as { email: string; password: string; name: string };
        if ((body.password ?? '').length < 8) {
          return { status: 422, body: errorBody('validation_failed', 'Some fields are not valid.', [{ field: 'password', problem: 'Use at least 8 characters.' }]) };
        }
        const user = { id: `u${this.nextId++}`, email: body.email, name: body.name, password: body.password, workspaceId: `w${this.nextId++}` };
        this.users.push(user);
        this.setupRequired = false;
        this.sessionUser = user.id;
        return { status: 201, body: this.session(user) };
      }),
      route('POST', /^\/api\/auth\/login$/, (request) => {
        const body = request.body as { email: string; password: string };
        const user = this.users.find((u) => u.email === body.email && u.password === body.password);
        if (!user) {
          return { status: 401, body: errorBody('invalid_credentials', 'Wrong email or password.') };
        }
        this.sessionUser = user.id;
        this.csrfToken = `csrf-token-${this.nextId++}`;
        return { status: 200, body: this.session(user) };
      }),
      route('POST', /^\/api\/auth\/logout$/, this.authed(() => {
        this.sessionUser = null;
        return { status: 204 };
      })),
      route('GET', /^\/api\/me$/, this.authed((_, __, user) => ({ status: 200, body: this.session(user) }))),
      route('GET', /^\/api\/custom-integrations$/, this.authed((request, _, user) => {
        const name = request.query.get('name') ?? '';
        const list = this.integrations
          .filter((i) => i.workspaceId === user.workspaceId && (i.name.includes(name) || i.display_name.toLowerCase().includes(name.toLowerCase())))
          .map((i) => this.publicIntegration(i));
        return { status: 200, body: { integrations: list, next_cursor: null } };
      })),
      route('POST', /^\/api\/custom-integrations$/, this.authed((request, _, user) => {
        const input = request.body as IntegrationInput;
        const invalid = this.validate(input, user);
        if (invalid) {
          return invalid;
        }
        const created = this.addIntegration({ ...input }, user.workspaceId);
        return { status: 201, body: created };
      })),
      route('GET', /^\/api\/custom-integrations\/([^/]+)$/, this.authed((_, [id], user) => {
        const found = this.findIntegration(id!, user);
        return found ? { status: 200, body: this.publicIntegration(found) } : { status: 404, body: errorBody('not_found', 'Integration not found.') };
      })),
      route('PUT', /^\/api\/custom-integrations\/([^/]+)$/, this.authed((request, [id], user) => {
        const found = this.findIntegration(id!, user);
        if (!found) {
          return { status: 404, body: errorBody('not_found', 'Integration not found.') };
        }
        const input = request.body as IntegrationInput;
        const invalid = this.validate(input, user, found.id);
        if (invalid) {
          return invalid;
        }
        Object.assign(found, input, { updated_at: '2026-11-24T11:00:00Z' });
        return { status: 200, body: this.publicIntegration(found) };
      })),
      route('DELETE', /^\/api\/custom-integrations\/([^/]+)$/, this.authed((_, [id], user) => {
        const found = this.findIntegration(id!, user);
        if (!found) {
          return { status: 404, body: errorBody('not_found', 'Integration not found.') };
        }
        this.integrations = this.integrations.filter((i) => i !== found);
        this.credentials.delete(found.id);
        return { status: 204 };
      })),
      route('GET', /^\/api\/custom-integrations\/([^/]+)\/credentials$/, this.authed((_, [id], user) => {
        const found = this.findIntegration(id!, user);
        const stored = found && this.credentials.get(found.id);
        return stored ? { status: 200, body: stored.meta } : { status: 404, body: errorBody('not_found', 'No credential stored.') };
      })),
      route('POST', /^\/api\/custom-integrations\/([^/]+)\/credentials$/, this.authed((request, [id], user) => {
        const found = this.findIntegration(id!, user);
        if (!found) {
          return { status: 404, body: errorBody('not_found', 'Integration not found.') };
        }
        const body = request.body as Record<string, string>;
        const secret = body.value ?? body.password ?? body.access_token ?? body.client_secret ?? '';
        if (secret === '') {
          const field = body.type === 'basic' ? 'password' : body.type === 'oauth2' ? 'access_token' : body.type === 'oauth2_client' ? 'client_secret' : 'value';
          return { status: 422, body: errorBody('validation_failed', 'Some fields are not valid.', [{ field, problem: 'Enter a value.' }]) };
        }
        const meta: CredentialMeta = {
          type: body.type as CredentialMeta['type'],
          mask: `••••${secret.slice(-4)}`,
          status: 'valid',
          invalid_reason: null,
          expires_at: body.expires_at ?? null,
          created_at: NOW,
          updated_at: NOW,
        };
        this.credentials.set(found.id, { meta, secret });
        return { status: 201, body: meta };
      })),
      route('DELETE', /^\/api\/custom-integrations\/([^/]+)\/credentials$/, this.authed((_, [id]) => {
        this.credentials.delete(id!);
        return { status: 204 };
      })),
      route('POST', /^\/api\/custom-integrations\/([^/]+)\/test$/, this.authed((request, [id], user) => {
        const found = this.findIntegration(id!, user);
        if (!found) {
          return { status: 404, body: errorBody('not_found', 'Integration not found.') };
        }
        const body = request.body as { endpoint: string; method: string; body?: JsonValue };
        const execution = this.record(user, found, 'test', body.method, body.endpoint, null);
        return {
          status: 200,
          body: {
            status: 'success',
            status_code: 200,
            duration_ms: 42,
            headers: { 'content-type': 'application/json' },
            body: { ok: true, echo: body.body ?? null },
            truncated: false,
            execution_id: execution.id,
          },
        };
      })),
      route('POST', /^\/api\/execute$/, this.authed((request, _, user) => {
        const body = request.body as { provider: string; action: string; params: Record<string, JsonValue> };
        const found = this.findIntegration(body.provider.replace(/^custom_/, ''), user);
        const action = found?.actions.find((a) => a.action_id === body.action);
        if (!found || !action) {
          return { status: 404, body: errorBody('not_found', 'Unknown provider or action.') };
        }
        const execution = this.record(user, found, 'execute', action.http_method, action.endpoint, action.action_id);
        return {
          status: 200,
          body: { status: 'success', status_code: 200, duration_ms: 42, headers: {}, body: { params: body.params }, truncated: false, execution_id: execution.id },
        };
      })),
      route('GET', /^\/api\/executions$/, this.authed((request, _, user) => {
        const integrationId = request.query.get('integration_id');
        const status = request.query.get('status');
        const list = this.executions
          .filter((e) => e.workspaceId === user.workspaceId && (!integrationId || e.integration_id === integrationId) && (!status || e.status === status))
          .map(({ workspaceId: _w, ...e }) => e);
        return { status: 200, body: { executions: list, next_cursor: null } };
      })),
      route('GET', /^\/api\/executions\/([^/]+)$/, this.authed((_, [id], user) => {
        const found = this.executions.find((e) => e.id === id && e.workspaceId === user.workspaceId);
        if (!found) {
          return { status: 404, body: errorBody('not_found', 'Execution not found.') };
        }
        const { workspaceId: _w, ...execution } = found;
        return { status: 200, body: execution };
      })),
      route('GET', /^\/api\/tokens$/, this.authed(() => ({ status: 200, body: { tokens: [] } }))),
    ];
  }
}
