// The integrations list (the seed's Settings page): name, auth type, base URL, number of actions and credential
// status, searchable by name, with edit and delete.

import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { CredentialStatus } from '@/components/credential-status';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { authTypeLabel } from '@/lib/format';
import type { Integration } from '@/types/api';
import { useIntegrations } from '../api/get-integrations';
import { DeleteIntegrationDialog } from './delete-integration-dialog';

type Props = {
  onCreate: () => void;
  onEdit: (integration: Integration) => void;
};

function useDebounced(value: string, delayMs: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

export function IntegrationsList({ onCreate, onEdit }: Props) {
  const [search, setSearch] = useState('');
  const name = useDebounced(search.trim(), 250);
  const query = useIntegrations(name);
  const [deleting, setDeleting] = useState<Integration | null>(null);
  const integrations = query.data?.pages.flatMap((page) => page.integrations) ?? [];

  return (
    <div className="stack">
      <div className="toolbar" role="search">
        <label className="visually-hidden" htmlFor="integration-search">
          Search integrations
        </label>
        <input
          id="integration-search"
          className="input toolbar__search"
          type="search"
          placeholder="Search by name…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          autoComplete="off"
        />
        {query.isFetching && !query.isLoading && <span className="spinner spinner--inline" role="status" aria-label="Updating" />}
      </div>

      {query.isLoading && <LoadingState label="Loading integrations…" />}
      {query.isError && <ErrorState title="Could not load integrations" error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && integrations.length === 0 && name === '' && (
        <EmptyState title="No integrations yet" action={<Button variant="primary" onClick={onCreate}>Create your first integration</Button>}>
          Describe any REST API once (its base URL, how it authenticates and its endpoints) and call it from here and
          from your plans.
        </EmptyState>
      )}
      {query.isSuccess && integrations.length === 0 && name !== '' && (
        <EmptyState title={`No integrations match “${name}”`} action={<Button onClick={() => setSearch('')}>Clear search</Button>} />
      )}

      {integrations.length > 0 && (
        <div className="table-wrap">
          <table className="table table--cards">
            <caption className="visually-hidden">Custom integrations</caption>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Auth</th>
                <th scope="col">Base URL</th>
                <th scope="col">Actions</th>
                <th scope="col">Credential</th>
                <th scope="col">
                  <span className="visually-hidden">Manage</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {integrations.map((integration) => {
                const label = integration.display_name || integration.name;
                return (
                  <tr key={integration.id}>
                    <td data-label="Integration">
                      <Link className="table__primary" to={`/integrations/${integration.id}`}>
                        {label}
                      </Link>
                      <code className="table__secondary">{integration.name}</code>
                    </td>
                    <td data-label="Auth">{authTypeLabel(integration.auth_type)}</td>
                    <td data-label="Base URL" className="table__url">
                      {integration.base_url}
                    </td>
                    <td data-label="Actions">{integration.actions.length}</td>
                    <td data-label="Credential">
                      <CredentialStatus authType={integration.auth_type} credential={integration.credential} />
                    </td>
                    <td className="table__buttons">
                      <Button size="sm" aria-label={`Edit ${label}`} onClick={() => onEdit(integration)}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost" className="text-danger" aria-label={`Delete ${label}`} onClick={() => setDeleting(integration)}>
                        Delete
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
          Load more
        </Button>
      )}
      {deleting && <DeleteIntegrationDialog integration={deleting} onCancel={() => setDeleting(null)} onDeleted={() => setDeleting(null)} />}
    </div>
  );
}
