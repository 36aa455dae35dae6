// GET /api/custom-integrations: the workspace's integrations, a page at a time, filtered by a name substring.

import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Integration } from '@/types/api';

export type IntegrationsPage = { integrations: Integration[]; next_cursor: string | null };

const PAGE_SIZE = 50;

/** One page; cursor comes from the previous page's next_cursor. */
export function getIntegrations({ name, cursor }: { name?: string; cursor?: string | null }): Promise<IntegrationsPage> {
  return api.get<IntegrationsPage>('/api/custom-integrations', { params: { limit: PAGE_SIZE, cursor, name } });
}

export function getIntegrationsQueryOptions(name = '') {
  return infiniteQueryOptions({
    queryKey: ['integrations', 'list', { name }],
    queryFn: ({ pageParam }) => getIntegrations({ name, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** While a new search loads, the previous results stay on screen. */
export function useIntegrations(name = '') {
  return useInfiniteQuery({ ...getIntegrationsQueryOptions(name), placeholderData: keepPreviousData });
}
