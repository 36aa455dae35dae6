-- Accounts, workspaces (the tenant) and the seed's three custom-integration tables, with row
-- level security on every tenant table. Runs as the owner role; the server's role only gets
-- SELECT/INSERT/UPDATE/DELETE (granted by the migrator), never ownership or TRUNCATE.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE workspaces (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    personal   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE workspace_members (
    workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user_idx ON workspace_members(user_id);

CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions(user_id);
CREATE INDEX sessions_expires_idx ON sessions(expires_at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    prefix       text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens(user_id, created_at DESC);

CREATE TABLE custom_integrations (
    id           uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
    name         text NOT NULL,
    display_name text NOT NULL,
    description  text NOT NULL DEFAULT '',
    auth_type    text NOT NULL CHECK (auth_type IN ('none', 'api_key', 'bearer', 'basic', 'oauth2')),
    base_url     text NOT NULL,
    auth_config  jsonb NOT NULL DEFAULT '{}',
    oauth_config jsonb NOT NULL DEFAULT '{}',
    headers      jsonb NOT NULL DEFAULT '{}',
    settings     jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE INDEX custom_integrations_list_idx
    ON custom_integrations(workspace_id, created_at DESC, id DESC);

CREATE TABLE custom_integration_actions (
    id             uuid PRIMARY KEY,
    workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    integration_id uuid NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    position       integer NOT NULL,
    action_id      text NOT NULL,
    action_name    text NOT NULL,
    description    text NOT NULL DEFAULT '',
    http_method    text NOT NULL CHECK (http_method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')),
    endpoint       text NOT NULL,
    parameters     jsonb NOT NULL DEFAULT '[]',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (integration_id, action_id)
);
CREATE INDEX custom_integration_actions_integration_idx
    ON custom_integration_actions(integration_id, position);

CREATE TABLE custom_integration_credentials (
    id              uuid PRIMARY KEY,
    workspace_id    uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id         uuid REFERENCES users(id) ON DELETE SET NULL,
    integration_id  uuid NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    credential_type text NOT NULL,
    encrypted_value text NOT NULL,
    key_id          text NOT NULL,
    mask            text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'valid',
    invalid_reason  text,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (workspace_id, integration_id)
);
CREATE INDEX custom_integration_credentials_integration_idx
    ON custom_integration_credentials(integration_id);
CREATE INDEX custom_integration_credentials_key_idx ON custom_integration_credentials(key_id);

-- Row level security: a second wall behind the repositories' own workspace filters. With no
-- tenant set, NULLIF(...) is NULL, the comparison is never true, and no row is visible.
ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
-- A workspace is visible as the tenant, and to its members (sign-in finds their workspace).
CREATE POLICY workspace_access ON workspaces
    USING (id = NULLIF(current_setting('app.workspace_id', true), '')::uuid
           OR id IN (SELECT m.workspace_id FROM workspace_members m
                     WHERE m.user_id = NULLIF(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);

ALTER TABLE workspace_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_members FORCE ROW LEVEL SECURITY;
-- A member row is visible in its workspace, and to its own user (sign-in finds the workspace).
CREATE POLICY member_access ON workspace_members
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid
           OR user_id = NULLIF(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);

ALTER TABLE custom_integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE custom_integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON custom_integrations
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);

ALTER TABLE custom_integration_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE custom_integration_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON custom_integration_actions
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);

ALTER TABLE custom_integration_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE custom_integration_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON custom_integration_credentials
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);
