// DELETE /api/custom-integrations/{id}/credentials: removes the stored credential.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export function deleteCredential(integrationId: string): Promise<void> {
  return api.delete(`/api/custom-integrations/${encodeURIComponent(integrationId)}/credentials`);
}

export function useDeleteCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCredential,
    onSuccess: (_, integrationId) => {
      queryClient.setQueryData(['credentials', integrationId], null);
      void queryClient.invalidateQueries({ queryKey: ['integrations'] });
    },
  });
}
