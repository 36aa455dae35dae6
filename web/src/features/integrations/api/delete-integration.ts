// DELETE /api/custom-integrations/{id}: removes an integration with its actions and credential.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export function deleteIntegration(id: string): Promise<void> {
  return api.delete(`/api/custom-integrations/${encodeURIComponent(id)}`);
}

export function useDeleteIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteIntegration,
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: ['integrations', 'detail', id] });
      void queryClient.invalidateQueries({ queryKey: ['integrations', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['executions'] });
    },
  });
}
