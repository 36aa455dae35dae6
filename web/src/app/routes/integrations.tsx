// The integrations page (the seed's Settings page): the list and the create/edit modal.

import { useState } from 'react';
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

export function IntegrationsRoute() {
  const [modal, setModal] = useState<IntegrationModalDraft | null>(() => takeDraft<IntegrationModalDraft>(INTEGRATION_MODAL_DRAFT) ?? null);
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
