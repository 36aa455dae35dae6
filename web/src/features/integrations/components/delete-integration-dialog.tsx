// Asks before deleting an integration, then deletes it; the list updates without a reload.

import { ConfirmDialog } from '@/components/ui/dialog';
import { notify } from '@/lib/notifications';
import type { Integration } from '@/types/api';
import { useDeleteIntegration } from '../api/delete-integration';

type Props = { integration: Integration; onCancel: () => void; onDeleted: () => void };

export function DeleteIntegrationDialog({ integration, onCancel, onDeleted }: Props) {
  const deleteIntegration = useDeleteIntegration();
  const label = integration.display_name || integration.name;
  return (
    <ConfirmDialog
      title={`Delete “${label}”?`}
      message={`This removes the integration, its ${integration.actions.length === 1 ? 'action' : `${integration.actions.length} actions`} and its stored credential. It cannot be undone.`}
      confirmLabel="Delete integration"
      busy={deleteIntegration.isPending}
      onCancel={onCancel}
      onConfirm={() =>
        deleteIntegration.mutate(integration.id, {
          onSuccess: () => {
            notify({ kind: 'success', title: `Deleted “${label}”` });
            onDeleted();
          },
        })
      }
    />
  );
}
