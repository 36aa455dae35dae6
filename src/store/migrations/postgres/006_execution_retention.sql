-- Call-log retention (calllog::SweepExecutions) removes old records in every workspace. Like vault
-- maintenance (002), only the owner role gets this, and only in a transaction that sets
-- app.maintenance to 'retention' (only store::BeginExecutionRetention does): it may list the
-- workspaces and read and delete their call records, nothing else. It cannot insert or update a
-- row, and the server's own role stays held by tenant_isolation alone. (SQLite has no row level
-- security, so sqlite/ has no 006.)
DO $$
BEGIN
    EXECUTE format(
        'CREATE POLICY retention_list ON workspaces FOR SELECT TO %I'
        ' USING (current_setting(''app.maintenance'', true) = ''retention'')',
        current_user);
    EXECUTE format(
        'CREATE POLICY retention_read ON executions FOR SELECT TO %I'
        ' USING (current_setting(''app.maintenance'', true) = ''retention'')',
        current_user);
    EXECUTE format(
        'CREATE POLICY retention_delete ON executions FOR DELETE TO %I'
        ' USING (current_setting(''app.maintenance'', true) = ''retention'')',
        current_user);
END
$$;
