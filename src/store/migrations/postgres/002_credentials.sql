-- Credential vault: a version for compare-and-swap writes (replace, rotation, OAuth2 refresh),
-- non-secret metadata (scopes, whether a refresh token or client secret is sealed), and the
-- OAuth2 refresh lease (who refreshes, until when).

ALTER TABLE custom_integration_credentials
    ADD COLUMN version     bigint NOT NULL DEFAULT 1,
    ADD COLUMN metadata    jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN lease_owner text,
    ADD COLUMN lease_until timestamptz;

-- Rotation walks the credentials that are not on the primary key, in id order.
DROP INDEX custom_integration_credentials_key_idx;
CREATE INDEX custom_integration_credentials_key_idx ON custom_integration_credentials(key_id, id);

-- Vault maintenance (`connector rotate-key`, and the start-up check that the configured keys open
-- the stored credentials) must see every workspace's credentials. Only the role that runs the
-- migrations (the owner, CONNECTOR_DATABASE_MIGRATION_URL) gets this, and only in a transaction
-- that sets app.maintenance to 'vault' (only the vault's maintenance code does); a separate server
-- role is not named here and stays held by tenant_isolation alone. Maintenance reads and
-- re-encrypts ciphertext bound to each row's own workspace and id.
DO $$
BEGIN
    EXECUTE format(
        'CREATE POLICY vault_maintenance ON custom_integration_credentials TO %I'
        ' USING (current_setting(''app.maintenance'', true) = ''vault'')'
        ' WITH CHECK (current_setting(''app.maintenance'', true) = ''vault'')',
        current_user);
END
$$;
