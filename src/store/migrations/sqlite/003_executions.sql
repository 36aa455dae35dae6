-- The call log (SQLite twin of postgres/003): one row per call made through /test or /api/execute (and later plan steps).
-- Redacted at write time: no header value, query value or body field from a credential.
CREATE TABLE executions (
    id               text PRIMARY KEY,
    workspace_id     text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id          text REFERENCES users(id) ON DELETE SET NULL,
    integration_id   text REFERENCES custom_integrations(id) ON DELETE SET NULL,
    integration_name text NOT NULL DEFAULT '',
    action_id        text,
    kind             text NOT NULL CHECK (kind IN ('test', 'execute')),
    method           text NOT NULL,
    url              text NOT NULL,
    status           text NOT NULL CHECK (status IN ('success', 'error')),
    status_code      integer,
    attempts         integer NOT NULL DEFAULT 0,
    duration_ms      integer NOT NULL DEFAULT 0,
    error_code       text,
    error_message    text,
    created_at       text NOT NULL
);
CREATE INDEX executions_list_idx ON executions(workspace_id, created_at DESC, id DESC);
CREATE INDEX executions_integration_idx
    ON executions(workspace_id, integration_id, created_at DESC, id DESC);
CREATE INDEX executions_status_idx ON executions(workspace_id, status, created_at DESC, id DESC);
