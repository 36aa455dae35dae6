// One recorded call in full: what was called, how it ended, how long it took and how often it was tried.

import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { ApiError } from '@/lib/api-client';
import { formatDateTime, formatDuration } from '@/lib/format';
import { useExecution } from '../api/get-execution';

export function ExecutionDetail({ executionId }: { executionId: string }) {
  const query = useExecution(executionId);
  if (query.isLoading) {
    return <LoadingState label="Loading call…" />;
  }
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return <ErrorState title={notFound ? 'This call is not in your history' : 'Could not load the call'} error={query.error} onRetry={notFound ? undefined : () => void query.refetch()} />;
  }
  const execution = query.data!;
  return (
    <dl className="facts facts--wide" aria-label="Call details">
      <div>
        <dt>Status</dt>
        <dd>
          <Badge tone={execution.status === 'success' ? 'success' : 'danger'}>{execution.status === 'success' ? 'Success' : 'Error'}</Badge>{' '}
          {execution.status_code !== null && <strong>HTTP {execution.status_code}</strong>}
        </dd>
      </div>
      {(execution.error_code || execution.error_message) && (
        <div>
          <dt>Error</dt>
          <dd>
            {execution.error_code && <code>{execution.error_code}</code>} {execution.error_message}
          </dd>
        </div>
      )}
      <div>
        <dt>Integration</dt>
        <dd>
          <Link to={`/integrations/${execution.integration_id}`}>{execution.integration_name}</Link>
        </dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>{execution.kind === 'test' ? 'Test call' : `Action ${execution.action_id ?? ''}`}</dd>
      </div>
      <div>
        <dt>Request</dt>
        <dd>
          <code className="block-code">
            {execution.method} {execution.url}
          </code>
        </dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(execution.duration_ms)}</dd>
      </div>
      <div>
        <dt>Attempts</dt>
        <dd>{execution.attempts}</dd>
      </div>
      <div>
        <dt>When</dt>
        <dd>{formatDateTime(execution.created_at)}</dd>
      </div>
      <div>
        <dt>Call ID</dt>
        <dd>
          <code>{execution.id}</code>
        </dd>
      </div>
    </dl>
  );
}
