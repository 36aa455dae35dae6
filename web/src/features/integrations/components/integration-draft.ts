// The integration form's model: text-friendly drafts of an integration, conversion to and from the API shape,
// and placing the API's error details ("actions[1].http_method") on the fields that show them.

import { toIdentifier } from '@/lib/format';
import { parseTyped } from '@/lib/typed-value';
import type {
  Action,
  AuthType,
  HttpMethod,
  Integration,
  IntegrationInput,
  Parameter,
  ParameterLocation,
  ParameterType,
} from '@/types/api';

let sequence = 0;

/** A stable React key for a new row. */
export function newKey(): string {
  sequence += 1;
  return `row-${sequence}`;
}

export type ParameterDraft = {
  key: string;
  name: string;
  in: ParameterLocation;
  type: ParameterType;
  required: boolean;
  default: string;
  description: string;
};

export type ActionDraft = {
  key: string;
  action_id: string;
  /** False while action_id still follows action_name. */
  idEdited: boolean;
  action_name: string;
  description: string;
  http_method: HttpMethod;
  endpoint: string;
  parameters: ParameterDraft[];
};

export type HeaderDraft = { key: string; name: string; value: string };

export type IntegrationDraft = {
  display_name: string;
  name: string;
  /** False while name still follows display_name. */
  nameEdited: boolean;
  description: string;
  auth_type: AuthType;
  base_url: string;
  timeout_ms: string;
  api_key_location: 'header' | 'query';
  api_key_name: string;
  authorize_url: string;
  token_url: string;
  client_id: string;
  /** Write-only: sent to the vault after save, never shown again. */
  client_secret: string;
  scopes: string;
  pkce: boolean;
  grant_type: 'authorization_code' | 'client_credentials';
  headers: HeaderDraft[];
  actions: ActionDraft[];
};

export function emptyParameter(): ParameterDraft {
  return { key: newKey(), name: '', in: 'query', type: 'string', required: false, default: '', description: '' };
}

export function emptyAction(): ActionDraft {
  return {
    key: newKey(),
    action_id: '',
    idEdited: false,
    action_name: '',
    description: '',
    http_method: 'GET',
    endpoint: '/',
    parameters: [],
  };
}

export function emptyDraft(): IntegrationDraft {
  return {
    display_name: '',
    name: '',
    nameEdited: false,
    description: '',
    auth_type: 'api_key',
    base_url: '',
    timeout_ms: '',
    api_key_location: 'header',
    api_key_name: 'X-API-Key',
    authorize_url: '',
    token_url: '',
    client_id: '',
    client_secret: '',
    scopes: '',
    pkce: true,
    grant_type: 'authorization_code',
    headers: [],
    actions: [],
  };
}

function defaultToText(parameter: Parameter): string {
  if (parameter.default === undefined || parameter.default === null) {
    return '';
  }
  if (typeof parameter.default === 'string') {
    return parameter.default;
  }
  return JSON.stringify(parameter.default);
}

/** The draft for editing an existing integration (the client secret always starts empty). */
export function draftFromIntegration(integration: Integration): IntegrationDraft {
  const base = emptyDraft();
  return {
    ...base,
    display_name: integration.display_name ?? '',
    name: integration.name,
    nameEdited: true,
    description: integration.description ?? '',
    auth_type: integration.auth_type,
    base_url: integration.base_url ?? '',
    timeout_ms: integration.timeout_ms ? String(integration.timeout_ms) : '',
    api_key_location: integration.auth_config?.api_key_location ?? base.api_key_location,
    api_key_name: integration.auth_config?.api_key_name ?? base.api_key_name,
    authorize_url: integration.oauth_config?.authorize_url ?? '',
    token_url: integration.oauth_config?.token_url ?? '',
    client_id: integration.oauth_config?.client_id ?? '',
    scopes: (integration.oauth_config?.scopes ?? []).join(' '),
    pkce: integration.oauth_config?.pkce ?? true,
    grant_type: integration.oauth_config?.grant_type ?? 'authorization_code',
    headers: Object.entries(integration.headers ?? {}).map(([name, value]) => ({ key: newKey(), name, value })),
    actions: (integration.actions ?? []).map((action) => ({
      key: newKey(),
      action_id: action.action_id,
      idEdited: true,
      action_name: action.action_name ?? '',
      description: action.description ?? '',
      http_method: action.http_method,
      endpoint: action.endpoint,
      parameters: (action.parameters ?? []).map((parameter) => ({
        key: newKey(),
        name: parameter.name,
        in: parameter.in,
        type: parameter.type,
        required: parameter.required,
        default: defaultToText(parameter),
        description: parameter.description ?? '',
      })),
    })),
  };
}

/** Sets display_name and, until the name was edited by hand, the matching identifier. */
export function withDisplayName(draft: IntegrationDraft, displayName: string): IntegrationDraft {
  return { ...draft, display_name: displayName, name: draft.nameEdited ? draft.name : toIdentifier(displayName) };
}

/** Sets action_name and, until action_id was edited by hand, the matching identifier. */
export function withActionName(action: ActionDraft, actionName: string): ActionDraft {
  return { ...action, action_name: actionName, action_id: action.idEdited ? action.action_id : toIdentifier(actionName) };
}

function trimmedOrUndefined(text: string): string | undefined {
  const value = text.trim();
  return value === '' ? undefined : value;
}

/**
 * Builds the API body from a draft. Problems only the browser can see (a default that is not valid for its type,
 * a header value without a name, a timeout that is not a number) come back as field errors; everything else is
 * left to the server, whose answer is the one truth about what is valid.
 */
export function draftToInput(draft: IntegrationDraft): { input: IntegrationInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const headers: Record<string, string> = {};
  draft.headers.forEach((header, index) => {
    const name = header.name.trim();
    if (name === '' && header.value.trim() === '') {
      return;
    }
    if (name === '') {
      errors[`headers[${index}].name`] = 'Enter a header name.';
      return;
    }
    headers[name] = header.value;
  });

  const actions: Action[] = draft.actions.map((action, actionIndex) => ({
    action_id: action.action_id.trim(),
    action_name: action.action_name.trim(),
    description: action.description.trim(),
    http_method: action.http_method,
    endpoint: action.endpoint.trim(),
    parameters: action.parameters.map((parameter, parameterIndex) => {
      const result: Parameter = {
        name: parameter.name.trim(),
        in: parameter.in,
        type: parameter.type,
        required: parameter.required,
      };
      const parsed = parseTyped(parameter.default, parameter.type);
      if (!parsed.ok) {
        errors[`actions[${actionIndex}].parameters[${parameterIndex}].default`] = parsed.problem;
      } else if (parsed.value !== undefined) {
        result.default = parsed.value;
      }
      const description = parameter.description.trim();
      if (description) {
        result.description = description;
      }
      return result;
    }),
  }));

  let timeout: number | undefined;
  if (draft.timeout_ms.trim() !== '') {
    timeout = Number(draft.timeout_ms.trim());
    if (!Number.isInteger(timeout) || timeout <= 0) {
      errors.timeout_ms = 'Enter a whole number of milliseconds, or leave it empty for the default.';
    }
  }

  const input: IntegrationInput = {
    name: draft.name.trim(),
    display_name: draft.display_name.trim(),
    description: draft.description.trim(),
    auth_type: draft.auth_type,
    base_url: draft.base_url.trim(),
    auth_config:
      draft.auth_type === 'api_key'
        ? { api_key_location: draft.api_key_location, api_key_name: draft.api_key_name.trim() }
        : {},
    oauth_config:
      draft.auth_type === 'oauth2'
        ? {
            authorize_url: trimmedOrUndefined(draft.authorize_url),
            token_url: trimmedOrUndefined(draft.token_url),
            client_id: trimmedOrUndefined(draft.client_id),
            scopes: draft.scopes.split(/[\s,]+/).filter(Boolean),
            pkce: draft.pkce,
            grant_type: draft.grant_type,
          }
        : {},
    headers,
    actions,
  };
  if (timeout !== undefined) {
    input.timeout_ms = timeout;
  }
  return { input, errors };
}

/** Every field path the form shows for this draft. */
export function formPaths(draft: IntegrationDraft): Set<string> {
  const paths = new Set(['name', 'display_name', 'description', 'auth_type', 'base_url', 'timeout_ms', 'headers', 'actions']);
  if (draft.auth_type === 'api_key') {
    paths.add('auth_config.api_key_location');
    paths.add('auth_config.api_key_name');
  }
  if (draft.auth_type === 'oauth2') {
    for (const field of ['authorize_url', 'token_url', 'client_id', 'scopes', 'pkce', 'grant_type']) {
      paths.add(`oauth_config.${field}`);
    }
    paths.add('client_secret');
  }
  draft.headers.forEach((_, i) => {
    paths.add(`headers[${i}].name`);
    paths.add(`headers[${i}].value`);
  });
  draft.actions.forEach((action, i) => {
    const a = `actions[${i}]`;
    for (const field of ['', '.action_id', '.action_name', '.description', '.http_method', '.endpoint', '.parameters']) {
      paths.add(`${a}${field}`);
    }
    action.parameters.forEach((_, j) => {
      const p = `${a}.parameters[${j}]`;
      for (const field of ['', '.name', '.in', '.type', '.required', '.default', '.description']) {
        paths.add(`${p}${field}`);
      }
    });
  });
  return paths;
}

const ALIASES: Record<string, string> = {
  'oauth_config.base_url': 'base_url',
  'oauth_config.client_secret': 'client_secret',
  'credential.client_secret': 'client_secret',
};

/** "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> null. */
function parentPath(path: string): string | null {
  const match = /^(.*)(\.[^.[\]]+|\[[^\]]*\])$/.exec(path);
  return match && match[1] ? match[1] : null;
}

/**
 * Puts each API error on the nearest field the form shows ("headers.X-Key" lands on the headers editor);
 * errors that fit nowhere are returned as text for the form's summary.
 */
export function placeErrors(errors: Record<string, string>, draft: IntegrationDraft): { fields: Record<string, string>; unplaced: string[] } {
  const known = formPaths(draft);
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [rawPath, problem] of Object.entries(errors)) {
    let path: string | null = ALIASES[rawPath] ?? rawPath;
    while (path !== null && !known.has(path)) {
      path = parentPath(path);
    }
    if (path === null) {
      unplaced.push(`${rawPath}: ${problem}`);
    } else if (!(path in fields)) {
      fields[path] = path === rawPath ? problem : `${rawPath}: ${problem}`;
    }
  }
  return { fields, unplaced };
}

/** Drops every error under actions[...] (indices change when actions move). */
export function withoutActionErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => !path.startsWith('actions[')));
}
