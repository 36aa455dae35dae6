// The credential panel of an integration: set or replace the secret through masked inputs, then see only its
// mask, status and expiry; delete it; "Connect" runs the OAuth2 authorize flow. A stored secret is never shown.

import { useState, type FormEvent } from 'react';
import { CredentialStatus } from '@/components/credential-status';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { SecretField, TextField } from '@/components/ui/form';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { ApiError, fieldErrors } from '@/lib/api-client';
import { useDraftState } from '@/lib/drafts';
import { formatDateTime } from '@/lib/format';
import { notify } from '@/lib/notifications';
import type { AuthType, CredentialMeta, OAuthConfig } from '@/types/api';
import { useCredential } from '../api/get-credential';
import { useDeleteCredential } from '../api/delete-credential';
import { useSaveCredential, type CredentialInput } from '../api/save-credential';

type Props = {
  integrationId: string;
  integrationLabel: string;
  authType: AuthType;
  oauthConfig?: OAuthConfig;
};

type Values = {
  value: string;
  username: string;
  password: string;
  access_token: string;
  refresh_token: string;
  expires_at: string;
  scopes: string;
  client_secret: string;
};

const EMPTY: Values = { value: '', username: '', password: '', access_token: '', refresh_token: '', expires_at: '', scopes: '', client_secret: '' };

type FormState = { open: boolean; manualTokens: boolean; values: Values };

const TYPE_LABELS: Record<CredentialMeta['type'], string> = {
  api_key: 'API key',
  bearer: 'Bearer token',
  basic: 'Username and password',
  oauth2: 'OAuth 2.0 tokens',
  oauth2_client: 'OAuth 2.0 client secret',
};

/** The URL the browser navigates to for the OAuth2 authorize flow. */
export function authorizeUrl(integrationId: string): string {
  return `/api/custom-integrations/${encodeURIComponent(integrationId)}/oauth/authorize`;
}

function buildInput(authType: AuthType, form: FormState): CredentialInput | null {
  const v = form.values;
  switch (authType) {
    case 'api_key':
      return { type: 'api_key', value: v.value };
    case 'bearer':
      return { type: 'bearer', value: v.value };
    case 'basic':
      return { type: 'basic', username: v.username, password: v.password };
    case 'oauth2':
      if (form.manualTokens) {
        const input: CredentialInput = { type: 'oauth2', access_token: v.access_token };
        if (v.refresh_token) {
          input.refresh_token = v.refresh_token;
        }
        if (v.expires_at) {
          const date = new Date(v.expires_at);
          input.expires_at = Number.isNaN(date.getTime()) ? v.expires_at : date.toISOString();
        }
        const scopes = v.scopes.split(/[\s,]+/).filter(Boolean);
        if (scopes.length > 0) {
          input.scopes = scopes;
        }
        return input;
      }
      return { type: 'oauth2_client', client_secret: v.client_secret };
    case 'none':
      return null;
  }
}

function StoredCredential({ credential, authType }: { credential: CredentialMeta; authType: AuthType }) {
  return (
    <dl className="facts" aria-label="Stored credential">
      <div>
        <dt>Type</dt>
        <dd>{TYPE_LABELS[credential.type] ?? credential.type}</dd>
      </div>
      <div>
        <dt>Value</dt>
        <dd>
          <code aria-label="Masked value">{credential.mask}</code>
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <CredentialStatus authType={authType} credential={credential} />
          {credential.invalid_reason && <span className="muted"> {credential.invalid_reason}</span>}
        </dd>
      </div>
      {credential.expires_at && (
        <div>
          <dt>Expires</dt>
          <dd>{formatDateTime(credential.expires_at)}</dd>
        </div>
      )}
      <div>
        <dt>Updated</dt>
        <dd>{formatDateTime(credential.updated_at)}</dd>
      </div>
    </dl>
  );
}

export function CredentialPanel({ integrationId, integrationLabel, authType, oauthConfig }: Props) {
  const credential = useCredential(integrationId, authType !== 'none');
  const save = useSaveCredential();
  const remove = useDeleteCredential();
  const [form, setForm] = useDraftState<FormState>(`credential:${integrationId}`, { open: false, manualTokens: false, values: EMPTY });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (authType === 'none') {
    return <p className="muted">This integration calls its API without a credential.</p>;
  }
  if (credential.isLoading) {
    return <LoadingState label="Loading credential…" />;
  }
  if (credential.isError) {
    return <ErrorState title="Could not load the credential" error={credential.error} onRetry={() => void credential.refetch()} />;
  }

  const stored = credential.data ?? null;
  const oauthConnected = authType === 'oauth2' && stored?.type === 'oauth2';
  const clientSecretOnly = authType === 'oauth2' && stored?.type === 'oauth2_client';
  const showForm = form.open || (!stored && authType !== 'oauth2');
  const usesAuthorizeFlow = authType === 'oauth2' && (oauthConfig?.grant_type ?? 'authorization_code') === 'authorization_code';

  function setValue(key: keyof Values, value: string) {
    setForm((current) => ({ ...current, values: { ...current.values, [key]: value } }));
    setErrors((current) => {
      if (!(key in current)) {
        return current;
      }
      const copy = { ...current };
      delete copy[key];
      return copy;
    });
  }

  function closeForm() {
    setForm({ open: false, manualTokens: false, values: EMPTY });
    setErrors({});
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = buildInput(authType, form);
    if (!input) {
      return;
    }
    save.mutate(
      { integrationId, input },
      {
        onSuccess: () => {
          closeForm();
          notify({ kind: 'success', title: 'Credential saved', description: 'It is stored encrypted; only its mask is shown from now on.' });
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status !== 401) {
            const found = fieldErrors(error);
            setErrors(Object.fromEntries(Object.entries(found).map(([field, problem]) => [field.replace(/^credential\./, ''), problem])));
          }
        },
      },
    );
  }

  return (
    <div className="stack">
      {stored && !clientSecretOnly && <StoredCredential credential={stored} authType={authType} />}
      {!stored && authType !== 'oauth2' && !form.open && <p className="muted">No credential stored yet.</p>}
      {authType === 'oauth2' && !oauthConnected && (
        <p className="muted">
          {clientSecretOnly ? `Client secret stored (${stored!.mask}). ` : ''}
          Not connected yet.{' '}
          {usesAuthorizeFlow
            ? 'Connect to sign in at the provider and come back here.'
            : 'Tokens are fetched with the client secret when the integration is called.'}
        </p>
      )}

      {showForm ? (
        <form className="stack" onSubmit={submit} noValidate aria-label={`Credential for ${integrationLabel}`}>
          {(authType === 'api_key' || authType === 'bearer') && (
            <SecretField
              label={authType === 'api_key' ? 'API key' : 'Bearer token'}
              value={form.values.value}
              error={errors.value}
              hint="Stored encrypted. After saving you will only see its last characters."
              onChange={(value) => setValue('value', value)}
            />
          )}
          {authType === 'basic' && (
            <div className="grid-2">
              <TextField label="Username" value={form.values.username} error={errors.username} autoComplete="off" onChange={(value) => setValue('username', value)} />
              <SecretField label="Password" value={form.values.password} error={errors.password} onChange={(value) => setValue('password', value)} />
            </div>
          )}
          {authType === 'oauth2' && form.manualTokens && (
            <div className="grid-2">
              <SecretField label="Access token" value={form.values.access_token} error={errors.access_token} onChange={(value) => setValue('access_token', value)} />
              <SecretField label="Refresh token" value={form.values.refresh_token} error={errors.refresh_token} hint="Optional." onChange={(value) => setValue('refresh_token', value)} />
              <TextField label="Expires at" type="datetime-local" value={form.values.expires_at} error={errors.expires_at} onChange={(value) => setValue('expires_at', value)} />
              <TextField label="Token scopes" value={form.values.scopes} error={errors.scopes} hint="Separated by spaces." onChange={(value) => setValue('scopes', value)} />
            </div>
          )}
          {authType === 'oauth2' && !form.manualTokens && (
            <SecretField label="Client secret" value={form.values.client_secret} error={errors.client_secret} hint="Stored encrypted; never shown again." onChange={(value) => setValue('client_secret', value)} />
          )}
          <div className="button-row">
            <Button type="submit" variant="primary" busy={save.isPending}>
              {stored ? 'Replace credential' : 'Save credential'}
            </Button>
            {(stored || authType === 'oauth2' || form.open) && (
              <Button onClick={closeForm} disabled={save.isPending}>
                Cancel
              </Button>
            )}
          </div>
        </form>
      ) : (
        <div className="button-row">
          {authType === 'oauth2' && (usesAuthorizeFlow || oauthConnected) && (
            <a className="btn btn--primary" href={authorizeUrl(integrationId)}>
              {oauthConnected ? 'Reconnect' : 'Connect'}
            </a>
          )}
          {authType === 'oauth2' ? (
            <>
              <Button onClick={() => setForm({ open: true, manualTokens: false, values: EMPTY })}>{clientSecretOnly ? 'Replace client secret' : 'Set client secret'}</Button>
              <Button variant="ghost" onClick={() => setForm({ open: true, manualTokens: true, values: EMPTY })}>
                Enter tokens manually
              </Button>
            </>
          ) : (
            stored && <Button onClick={() => setForm({ open: true, manualTokens: false, values: EMPTY })}>Replace</Button>
          )}
          {stored && (
            <Button variant="ghost" className="text-danger" onClick={() => setConfirmDelete(true)}>
              Delete credential
            </Button>
          )}
        </div>
      )}

      {confirmDelete && (
        <ConfirmDialog
          title="Delete the credential?"
          message={`Calls through ${integrationLabel} will fail until a new credential is stored.`}
          confirmLabel="Delete credential"
          busy={remove.isPending}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            remove.mutate(integrationId, {
              onSuccess: () => {
                setConfirmDelete(false);
                notify({ kind: 'success', title: 'Credential deleted' });
              },
            })
          }
        />
      )}
    </div>
  );
}
