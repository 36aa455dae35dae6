// The integrations page (the seed's Settings page): the list and the create/edit modal.

import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import {
  createModal,
  editModal,
  INTEGRATION_MODAL_DRAFT,
  IntegrationFormModal,
  type IntegrationModalDraft,
} from '@/features/integrations/components/integration-form-modal';
import { IntegrationsList } from '@/features/integrations/components/integrations-list';
import { takeDraft } from '@/lib/drafts';
import { notify } from '@/lib/notifications';

export function IntegrationsRoute() {
  const [modal, setModal] = useState<IntegrationModalDraft | null>(() => takeDraft<IntegrationModalDraft>(INTEGRATION_MODAL_DRAFT) ?? null);
  const [params, setParams] = useSearchParams();
  // The OAuth2 callback lands here when it cannot tell which integration a state was for.
  useEffect(() => {
    const error = params.get('oauth_error');
    if (!error) {
      return;
    }
    notify({ kind: 'error', title: 'Connecting failed', description: `The provider sign-in could not be completed (${error}). Try Connect again.` });
    setParams({}, { replace: true });
  }, [params, setParams]);
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The REST APIs your workspace can call: how to reach them, how they authenticate, and their actions."
        actions={
          <Button variant="primary" onClick={() => setModal(createModal())}>
            New integration
          </Button>
        }
      />
      <IntegrationsList onCreate={() => setModal(createModal())} onEdit={(integration) => setModal(editModal(integration))} />
      {modal && <IntegrationFormModal state={modal} onClose={() => setModal(null)} onSaved={() => setModal(null)} />}
    </>
  );
}
