-- OAuth2 authorize flow (SQLite twin of postgres/004): one row per started authorization, found
-- by a SHA-256 of its `state`, single use, valid for 10 minutes; the PKCE code verifier is sealed.
CREATE TABLE oauth_states (
    id             text PRIMARY KEY,
    workspace_id   text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    integration_id text NOT NULL REFERENCES custom_integrations(id) ON DELETE CASCADE,
    state_hash     text NOT NULL UNIQUE,
    code_verifier  text,
    key_id         text,
    redirect_uri   text NOT NULL,
    created_at     text NOT NULL,
    expires_at     text NOT NULL,
    used_at        text
);
CREATE INDEX oauth_states_expiry_idx ON oauth_states(workspace_id, expires_at);
