// PUT /api/custom-integrations/{id}: replaces an integration's fields and actions.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Integration, IntegrationInput } from '@/types/api';

export function updateIntegration({ id, input }: { id: string; input: IntegrationInput }): Promise<Integration> {
  return api.put<Integration>(`/api/custom-integrations/${encodeURIComponent(id)}`, input);
}

export function useUpdateIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateIntegration,
    onSuccess: (integration) => {
      queryClient.setQueryData(['integrations', 'detail', integration.id], integration);
      void queryClient.invalidateQueries({ queryKey: ['integrations', 'list'] });
    },
  });
}
