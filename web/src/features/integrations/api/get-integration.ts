// GET /api/custom-integrations/{id}: one integration with its actions and credential metadata.

import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Integration } from '@/types/api';

/** Fetches one integration; 404 is left to the page to show. */
export function getIntegration(id: string): Promise<Integration> {
  return api.get<Integration>(`/api/custom-integrations/${encodeURIComponent(id)}`, { quiet: [404] });
}

export function getIntegrationQueryOptions(id: string) {
  return queryOptions({ queryKey: ['integrations', 'detail', id], queryFn: () => getIntegration(id) });
}

export function useIntegration(id: string) {
  return useQuery(getIntegrationQueryOptions(id));
}
