-- Credential vault: a version for compare-and-swap writes (replace, rotation, OAuth2 refresh),
-- non-secret metadata (scopes, whether a refresh token or client secret is sealed), and the
-- OAuth2 refresh lease (who refreshes, until when). The SQLite twin of postgres/002.

ALTER TABLE custom_integration_credentials ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE custom_integration_credentials ADD COLUMN metadata text NOT NULL DEFAULT '{}';
ALTER TABLE custom_integration_credentials ADD COLUMN lease_owner text;
ALTER TABLE custom_integration_credentials ADD COLUMN lease_until text;

-- Rotation walks the credentials that are not on the primary key, in id order.
DROP INDEX custom_integration_credentials_key_idx;
CREATE INDEX custom_integration_credentials_key_idx ON custom_integration_credentials(key_id, id);
