// One integration's page: overview, credential, live test, run an action, and the way to its call history.

import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { CredentialStatus } from '@/components/credential-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { CredentialPanel } from '@/features/credentials/components/credential-panel';
import { useIntegration } from '@/features/integrations/api/get-integration';
import { DeleteIntegrationDialog } from '@/features/integrations/components/delete-integration-dialog';
import {
  editModal,
  INTEGRATION_MODAL_DRAFT,
  IntegrationFormModal,
  type IntegrationModalDraft,
} from '@/features/integrations/components/integration-form-modal';
import { IntegrationOverview } from '@/features/integrations/components/integration-overview';
import { RunActionForm } from '@/features/live-test/components/run-action-form';
import { TestPanel } from '@/features/live-test/components/test-panel';
import { ApiError } from '@/lib/api-client';
import { takeDraft } from '@/lib/drafts';
import { authTypeLabel } from '@/lib/format';
import { notify } from '@/lib/notifications';

export function IntegrationDetailRoute() {
  const { integrationId = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = useIntegration(integrationId);
  const [modal, setModal] = useState<IntegrationModalDraft | null>(() => takeDraft<IntegrationModalDraft>(INTEGRATION_MODAL_DRAFT) ?? null);
  const [deleting, setDeleting] = useState(false);
  const [oauthError, setOauthError] = useState<string | null>(null);

  useEffect(() => {
    const connected = params.get('connected');
    const error = params.get('oauth_error');
    if (!connected && !error) {
      return;
    }
    if (connected) {
      notify({ kind: 'success', title: 'Connected', description: 'The OAuth tokens are stored encrypted.' });
    }
    if (error) {
      setOauthError(error);
    }
    setParams({}, { replace: true });
  }, [params, setParams]);

  if (query.isLoading) {
    return <LoadingState label="Loading integration…" />;
  }
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <EmptyState title="Integration not found" action={<Link to="/integrations">Back to integrations</Link>}>
          It may have been deleted, or it belongs to another workspace.
        </EmptyState>
      );
    }
    return <ErrorState title="Could not load the integration" error={query.error} onRetry={() => void query.refetch()} />;
  }
  const integration = query.data!;
  const label = integration.display_name || integration.name;

  return (
    <>
      <PageHeader
        back={<Link to="/integrations">← Integrations</Link>}
        title={label}
        description={
          <span className="inline-list">
            <code>{integration.name}</code>
            <Badge>{authTypeLabel(integration.auth_type)}</Badge>
            <CredentialStatus authType={integration.auth_type} credential={integration.credential} />
          </span>
        }
        actions={
          <>
            <Button onClick={() => setModal(editModal(integration))}>Edit</Button>
            <Button variant="ghost" className="text-danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        }
      />
      {integration.description && <p className="lead">{integration.description}</p>}
      {oauthError && (
        <div className="callout callout--danger" role="alert">
          <p>
            <strong>Connecting failed:</strong> {oauthError}
          </p>
          <Button size="sm" variant="ghost" onClick={() => setOauthError(null)}>
            Dismiss
          </Button>
        </div>
      )}
      <div className="detail-grid">
        <Card title="Overview">
          <IntegrationOverview integration={integration} />
        </Card>
        <Card title="Credential" description="Stored encrypted. Only a mask is ever shown.">
          <CredentialPanel integrationId={integration.id} integrationLabel={label} authType={integration.auth_type} oauthConfig={integration.oauth_config} />
        </Card>
        <Card title="Test a request" description="A live call through this integration, with its credential.">
          <TestPanel integrationId={integration.id} baseUrl={integration.base_url} />
        </Card>
        <Card
          title="Run an action"
          actions={
            <Link to={`/executions?integration_id=${encodeURIComponent(integration.id)}`} className="btn btn--sm btn--ghost">
              Call history
            </Link>
          }
        >
          <RunActionForm key={integration.updated_at} integrationId={integration.id} actions={integration.actions} />
        </Card>
      </div>
      {modal && <IntegrationFormModal state={modal} onClose={() => setModal(null)} onSaved={() => setModal(null)} />}
      {deleting && <DeleteIntegrationDialog integration={integration} onCancel={() => setDeleting(false)} onDeleted={() => navigate('/integrations', { replace: true })} />}
    </>
  );
}
