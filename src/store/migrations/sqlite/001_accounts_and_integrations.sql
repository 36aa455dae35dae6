-- Accounts, workspaces (the tenant) and the seed's three custom-integration tables. The SQLite
-- twin of postgres/001: ids and timestamps as text (RFC 3339 sorts by time), booleans as integers.

CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    text NOT NULL,
    updated_at    text NOT NULL
);

CREATE TABLE workspaces (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    personal   integer NOT NULL DEFAULT 0,
    created_at text NOT NULL,
    updated_at text NOT NULL
);

CREATE TABLE workspace_members (
    workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user_idx ON workspace_members(user_id);

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    expires_at   text NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions(user_id);
CREATE INDEX sessions_expires_idx ON sessions(expires_at);

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    last_used_at text
);
CREATE INDEX api_tokens_user_idx ON api_tokens(user_id, created_at DESC);

CREATE TABLE custom_integrations (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    created_by   text REFERENCES users(id) ON DELETE SET NULL,
    name         text NOT NULL,
    display_name text NOT NULL,
    description  text NOT NULL DEFAULT '',
    auth_type    text NOT NULL CHECK (auth_type IN ('none', 'api_key', 'bearer', 'basic', 'oauth2')),
    base_url     text NOT NULL,
    auth_config  text NOT NULL DEFAULT '{}',
    oauth_config text NOT NULL DEFAULT '{}',
    headers      text NOT NULL DEFAULT '{}',
    settings     text NOT NULL DEFAULT '{}',
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE INDEX custom_integrations_list_idx
    ON custom_integrations(workspace_id, created_at DESC, id DESC);

CREATE TABLE custom_integration_actions (
    id             text PRIMARY KEY,
    workspace_id   text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    integration_id text NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    position       integer NOT NULL,
    action_id      text NOT NULL,
    action_name    text NOT NULL,
    description    text NOT NULL DEFAULT '',
    http_method    text NOT NULL CHECK (http_method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')),
    endpoint       text NOT NULL,
    parameters     text NOT NULL DEFAULT '[]',
    created_at     text NOT NULL,
    updated_at     text NOT NULL,
    UNIQUE (integration_id, action_id)
);
CREATE INDEX custom_integration_actions_integration_idx
    ON custom_integration_actions(integration_id, position);

CREATE TABLE custom_integration_credentials (
    id              text PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id         text REFERENCES users(id) ON DELETE SET NULL,
    integration_id  text NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    credential_type text NOT NULL,
    encrypted_value text NOT NULL,
    key_id          text NOT NULL,
    mask            text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'valid',
    invalid_reason  text,
    expires_at      text,
    created_at      text NOT NULL,
    updated_at      text NOT NULL,
    UNIQUE (workspace_id, integration_id)
);
CREATE INDEX custom_integration_credentials_integration_idx
    ON custom_integration_credentials(integration_id);
CREATE INDEX custom_integration_credentials_key_idx ON custom_integration_credentials(key_id);
