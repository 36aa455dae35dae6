// POST /api/custom-integrations: creates an integration with its actions in one call.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Integration, IntegrationInput } from '@/types/api';

/** Creates; 409 (name taken) and 422 (field problems) reject with ApiError details for the form. */
export function createIntegration(input: IntegrationInput): Promise<Integration> {
  return api.post<Integration>('/api/custom-integrations', input);
}

export function useCreateIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createIntegration,
    onSuccess: (integration) => {
      queryClient.setQueryData(['integrations', 'detail', integration.id], integration);
      void queryClient.invalidateQueries({ queryKey: ['integrations', 'list'] });
    },
  });
}
