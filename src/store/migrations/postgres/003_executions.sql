-- The call log: one row per call made through /test or /api/execute (and later plan steps).
-- Redacted at write time: no header value, query value or body field from a credential.
CREATE TABLE executions (
    id               uuid PRIMARY KEY,
    workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id          uuid REFERENCES users(id) ON DELETE SET NULL,
    integration_id   uuid REFERENCES custom_integrations(id) ON DELETE SET NULL,
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
    created_at       timestamptz NOT NULL
);
CREATE INDEX executions_list_idx ON executions(workspace_id, created_at DESC, id DESC);
CREATE INDEX executions_integration_idx
    ON executions(workspace_id, integration_id, created_at DESC, id DESC);
CREATE INDEX executions_status_idx ON executions(workspace_id, status, created_at DESC, id DESC);

ALTER TABLE executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE executions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON executions
    USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid)
    WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid);
