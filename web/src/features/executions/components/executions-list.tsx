// The call history: every test and action call, newest first, filtered by integration and status.

import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/form';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatDateTime, formatDuration } from '@/lib/format';
import { useExecutions, type ExecutionFilters } from '../api/get-executions';

type Props = {
  filters: ExecutionFilters;
  onFiltersChange: (filters: ExecutionFilters) => void;
  /** Choices for the integration filter (the page loads them). */
  integrations: { id: string; label: string }[];
};

export function ExecutionsList({ filters, onFiltersChange, integrations }: Props) {
  const query = useExecutions(filters);
  const executions = query.data?.pages.flatMap((page) => page.executions) ?? [];
  const filtered = Boolean(filters.integration_id || filters.status);
  const integrationOptions = [{ value: '', label: 'All integrations' }, ...integrations.map((i) => ({ value: i.id, label: i.label }))];
  if (filters.integration_id && !integrations.some((i) => i.id === filters.integration_id)) {
    integrationOptions.push({ value: filters.integration_id, label: 'Selected integration' });
  }

  return (
    <div className="stack">
      <div className="filters" role="search" aria-label="Filter calls">
        <SelectField
          label="Integration"
          value={filters.integration_id ?? ''}
          options={integrationOptions}
          onChange={(integration_id) => onFiltersChange({ ...filters, integration_id })}
        />
        <SelectField
          label="Status"
          value={filters.status ?? ''}
          options={[
            { value: '', label: 'Any status' },
            { value: 'success', label: 'Success' },
            { value: 'error', label: 'Error' },
          ]}
          onChange={(status) => onFiltersChange({ ...filters, status: status as ExecutionFilters['status'] })}
        />
        {filtered && (
          <Button variant="ghost" onClick={() => onFiltersChange({})}>
            Clear filters
          </Button>
        )}
      </div>

      {query.isLoading && <LoadingState label="Loading call history…" />}
      {query.isError && <ErrorState title="Could not load the call history" error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && executions.length === 0 && (
        <EmptyState title={filtered ? 'No calls match these filters' : 'No calls yet'}>
          {filtered ? 'Try another integration or status.' : 'Calls made from the test panel or by running an action appear here.'}
        </EmptyState>
      )}
      {executions.length > 0 && (
        <div className="table-wrap">
          <table className="table table--cards">
            <caption className="visually-hidden">Call history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Integration</th>
                <th scope="col">Call</th>
                <th scope="col">Status</th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {executions.map((execution) => (
                <tr key={execution.id}>
                  <td data-label="When">{formatDateTime(execution.created_at)}</td>
                  <td data-label="Integration">{execution.integration_name}</td>
                  <td data-label="Call">
                    <span className="table__primary">
                      {execution.kind === 'test' ? 'Test' : execution.action_id ?? 'Action'} <span className="muted">{execution.method}</span>
                    </span>
                    <span className="table__secondary table__url">{execution.url}</span>
                  </td>
                  <td data-label="Status">
                    <Badge tone={execution.status === 'success' ? 'success' : 'danger'}>
                      {execution.status === 'success' ? 'Success' : 'Error'}
                      {execution.status_code !== null ? ` · ${execution.status_code}` : ''}
                    </Badge>
                  </td>
                  <td data-label="Time">{formatDuration(execution.duration_ms)}</td>
                  <td className="table__buttons">
                    <Link className="btn btn--sm btn--secondary" to={`/executions/${execution.id}`} aria-label={`Details of the ${execution.method} call at ${formatDateTime(execution.created_at)}`}>
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  );
}
