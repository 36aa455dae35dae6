// DELETE /api/tokens/{id}: revokes a token at once.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export function deleteToken(id: string): Promise<void> {
  return api.delete(`/api/tokens/${encodeURIComponent(id)}`);
}

export function useDeleteToken() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteToken, onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }) });
}
