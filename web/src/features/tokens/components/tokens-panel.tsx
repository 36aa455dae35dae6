// Personal API tokens: create one (shown once, with a copy button), list them by prefix, revoke.

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/form';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { ApiError, fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { notify } from '@/lib/notifications';
import type { ApiToken, CreatedApiToken } from '@/types/api';
import { useCreateToken } from '../api/create-token';
import { useDeleteToken } from '../api/delete-token';
import { useTokens } from '../api/get-tokens';

function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="callout callout--success" role="status">
      <p>
        <strong>Token “{token.name}” created.</strong> Copy it now: it will not be shown again.
      </p>
      <div className="copy-row">
        <code className="block-code" aria-label="New API token">
          {token.token}
        </code>
        <Button
          size="sm"
          onClick={() => {
            void navigator.clipboard?.writeText(token.token).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="muted">
        Send it as <code>Authorization: Bearer …</code>.
      </p>
      <Button size="sm" variant="primary" onClick={onDone}>
        I have copied it
      </Button>
    </div>
  );
}

export function TokensPanel() {
  const tokens = useTokens();
  const create = useCreateToken();
  const remove = useDeleteToken();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (token) => {
        setCreated(token);
        setName('');
        setError(undefined);
      },
      onError: (e) => {
        if (e instanceof ApiError && e.status !== 401) {
          setError(fieldErrors(e).name ?? e.message);
        }
      },
    });
  }

  return (
    <div className="stack">
      {created && <NewToken token={created} onDone={() => setCreated(null)} />}
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Create API token">
        <TextField label="Token name" value={name} placeholder="CI pipeline" error={error} autoComplete="off" onChange={setName} />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create token
        </Button>
      </form>
      {tokens.isLoading && <LoadingState label="Loading tokens…" />}
      {tokens.isError && <ErrorState title="Could not load tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />}
      {tokens.isSuccess && tokens.data.tokens.length === 0 && (
        <EmptyState title="No API tokens">Create one to call the API from scripts and other tools.</EmptyState>
      )}
      {tokens.isSuccess && tokens.data.tokens.length > 0 && (
        <div className="table-wrap">
          <table className="table table--cards">
            <caption className="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Manage</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((token) => (
                <tr key={token.id}>
                  <td data-label="Name">{token.name}</td>
                  <td data-label="Token">
                    <code>{token.prefix}…</code>
                  </td>
                  <td data-label="Created">{formatDateTime(token.created_at)}</td>
                  <td data-label="Last used">{token.last_used_at ? formatDateTime(token.last_used_at) : 'Never'}</td>
                  <td className="table__buttons">
                    <Button size="sm" variant="ghost" className="text-danger" aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          message="Anything using this token loses access at once."
          confirmLabel="Revoke token"
          busy={remove.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() =>
            remove.mutate(revoking.id, {
              onSuccess: () => {
                notify({ kind: 'success', title: `Revoked “${revoking.name}”` });
                setRevoking(null);
              },
            })
          }
        />
      )}
    </div>
  );
}
