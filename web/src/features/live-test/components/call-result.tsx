// Shows the result of a live call: status, HTTP code, time, headers and the pretty-printed body.

import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { formatDuration, prettyJson } from '@/lib/format';
import type { CallResult as Result } from '@/types/api';

export function CallResult({ result, title = 'Response' }: { result: Result; title?: string }) {
  const headers = Object.entries(result.headers ?? {});
  const ok = result.status === 'success';
  return (
    <section className="call-result" aria-label={title}>
      <div className="call-result__summary">
        <Badge tone={ok ? 'success' : 'danger'}>{ok ? 'Success' : 'Error'}</Badge>
        <span>
          <span className="muted">Status </span>
          <strong data-testid="status-code">{result.status_code ?? '—'}</strong>
        </span>
        <span>
          <span className="muted">Time </span>
          <strong>{formatDuration(result.duration_ms)}</strong>
        </span>
        {result.execution_id && (
          <Link to={`/executions/${result.execution_id}`} className="call-result__link">
            View in call history
          </Link>
        )}
      </div>
      {result.error && (
        <p className="call-result__error" role="alert">
          <code>{result.error.code}</code> {result.error.message}
        </p>
      )}
      <details className="call-result__headers">
        <summary>Headers ({headers.length})</summary>
        {headers.length > 0 ? (
          <table className="table table--compact">
            <caption className="visually-hidden">Response headers</caption>
            <tbody>
              {headers.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No headers.</p>
        )}
      </details>
      <h4 className="subheading">Body</h4>
      {result.truncated && <p className="muted">The body was too large and is cut short.</p>}
      <pre className="code-block" tabIndex={0} aria-label="Response body">
        {result.body === null || result.body === '' ? '(empty)' : prettyJson(result.body)}
      </pre>
    </section>
  );
}
