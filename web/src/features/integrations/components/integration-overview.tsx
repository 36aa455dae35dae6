// An integration's settings at a glance: base URL, auth, headers, and its actions with their parameters.

import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/states';
import { authTypeLabel } from '@/lib/format';
import type { Integration } from '@/types/api';

export function IntegrationOverview({ integration }: { integration: Integration }) {
  const headers = Object.entries(integration.headers ?? {});
  return (
    <div className="stack">
      <dl className="facts">
        <div>
          <dt>Base URL</dt>
          <dd className="table__url">{integration.base_url || '—'}</dd>
        </div>
        <div>
          <dt>Auth</dt>
          <dd>
            {authTypeLabel(integration.auth_type)}
            {integration.auth_type === 'api_key' && integration.auth_config?.api_key_name && (
              <span className="muted">
                {' '}
                in {integration.auth_config.api_key_location === 'query' ? 'query parameter' : 'header'} <code>{integration.auth_config.api_key_name}</code>
              </span>
            )}
          </dd>
        </div>
        {integration.timeout_ms ? (
          <div>
            <dt>Timeout</dt>
            <dd>{integration.timeout_ms} ms</dd>
          </div>
        ) : null}
        {headers.length > 0 && (
          <div>
            <dt>Default headers</dt>
            <dd>
              {headers.map(([name, value]) => (
                <code key={name} className="block-code">
                  {name}: {value}
                </code>
              ))}
            </dd>
          </div>
        )}
      </dl>
      <h3 className="subheading">Actions</h3>
      {integration.actions.length === 0 ? (
        <EmptyState title="No actions yet">Edit the integration to add the endpoints you want to call.</EmptyState>
      ) : (
        <ul className="action-summary-list">
          {integration.actions.map((action) => (
            <li key={action.action_id} className="action-summary">
              <div className="action-summary__line">
                <Badge tone="info">{action.http_method}</Badge>
                <strong>{action.action_name || action.action_id}</strong>
                <code>{action.endpoint}</code>
              </div>
              {action.description && <p className="muted">{action.description}</p>}
              {action.parameters.length > 0 && (
                <p className="muted">
                  Parameters:{' '}
                  {action.parameters.map((p, i) => (
                    <span key={p.name}>
                      {i > 0 && ', '}
                      <code>{p.name}</code> ({p.in}, {p.type}
                      {p.required ? ', required' : ''})
                    </span>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
