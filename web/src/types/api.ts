// Shapes of the connector's JSON API, shared by every feature. Keep in step with docs/openapi.yaml.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type User = { id: string; email: string; name: string };
export type Workspace = { id: string; name: string; role: string };
/** What setup, login and GET /api/me return. The csrf token lives in memory only. */
export type Session = { user: User; workspace: Workspace; csrf_token: string };

export const AUTH_TYPES = ['none', 'api_key', 'bearer', 'basic', 'oauth2'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const PARAMETER_LOCATIONS = ['path', 'query', 'header', 'body'] as const;
export type ParameterLocation = (typeof PARAMETER_LOCATIONS)[number];

export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export type Parameter = {
  name: string;
  in: ParameterLocation;
  type: ParameterType;
  required: boolean;
  default?: JsonValue;
  description?: string;
};

export type Action = {
  action_id: string;
  action_name: string;
  description: string;
  http_method: HttpMethod;
  endpoint: string;
  parameters: Parameter[];
};

export type AuthConfig = { api_key_location?: 'header' | 'query'; api_key_name?: string };

export type OAuthConfig = {
  authorize_url?: string;
  token_url?: string;
  client_id?: string;
  scopes?: string[];
  pkce?: boolean;
  grant_type?: 'authorization_code' | 'client_credentials';
};

export type CredentialType = 'api_key' | 'bearer' | 'basic' | 'oauth2' | 'oauth2_client';
export type CredentialStatus = 'valid' | 'expired' | 'invalid' | 'unreadable';

/** Metadata of a stored credential: never the secret itself. */
export type CredentialMeta = {
  type: CredentialType;
  mask: string;
  status: CredentialStatus;
  invalid_reason?: string | null;
  expires_at?: string | null;
  created_at: string;
  updated_at: string;
};

export type Integration = {
  id: string;
  name: string;
  display_name: string;
  description: string;
  auth_type: AuthType;
  base_url: string;
  auth_config: AuthConfig;
  oauth_config: OAuthConfig;
  headers: Record<string, string>;
  timeout_ms?: number | null;
  actions: Action[];
  credential: CredentialMeta | null;
  created_at: string;
  updated_at: string;
};

/** The body of POST and PUT /api/custom-integrations. */
export type IntegrationInput = Omit<Integration, 'id' | 'credential' | 'created_at' | 'updated_at'>;

/** What the test endpoint and /api/execute answer. */
export type CallResult = {
  status: 'success' | 'error';
  status_code: number | null;
  duration_ms: number;
  headers: Record<string, string>;
  body: JsonValue;
  truncated: boolean;
  error?: { code: string; message: string } | null;
  execution_id?: string;
};

export type Execution = {
  id: string;
  integration_id: string;
  integration_name: string;
  action_id: string | null;
  kind: 'test' | 'execute';
  method: string;
  url: string;
  status: 'success' | 'error';
  status_code: number | null;
  attempts: number;
  duration_ms: number;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
};

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
};

/** A token as created: `token` is shown once and never again. */
export type CreatedApiToken = { id: string; name: string; token: string; prefix: string; created_at: string };
