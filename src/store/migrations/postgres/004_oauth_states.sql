-- OAuth2 authorize flow: one row per started authorization, found by a SHA-256 of its `state`
-- (the state itself is never stored), single use, valid for 10 minutes. The PKCE code verifier
-- is a Fernet token sealed with the vault and bound to (workspace_id, 'oauth_state:' || id).
CREATE TABLE oauth_states (
    id             uuid PRIMARY KEY,
    workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    integration_id uuid NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    state_hash     text NOT NULL UNIQUE,
    code_verifier  text,
    key_id         text,
    redirect_uri   text NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz
);
CREATE INDEX oauth_states_expiry_idx ON oauth_states(workspace_id, expires_at);

ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_states FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON oauth_states
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);
