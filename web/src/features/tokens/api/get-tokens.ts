// GET /api/tokens: the caller's personal API tokens (prefix only; the token itself is never shown again).

import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ApiToken } from '@/types/api';

export function getTokens(): Promise<{ tokens: ApiToken[] }> {
  return api.get<{ tokens: ApiToken[] }>('/api/tokens');
}

export function getTokensQueryOptions() {
  return queryOptions({ queryKey: ['tokens'], queryFn: getTokens });
}

export function useTokens() {
  return useQuery(getTokensQueryOptions());
}
