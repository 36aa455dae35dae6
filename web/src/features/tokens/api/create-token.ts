// POST /api/tokens: creates a personal API token; the answer holds the token, shown this once.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CreatedApiToken } from '@/types/api';

export function createToken(name: string): Promise<CreatedApiToken> {
  return api.post<CreatedApiToken>('/api/tokens', { name });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createToken, onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }) });
}
