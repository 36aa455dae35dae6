// GET /api/executions: the call history, newest first, filtered by integration and status, a page at a time.

import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Execution } from '@/types/api';

export type ExecutionFilters = { integration_id?: string; status?: '' | 'success' | 'error' };
export type ExecutionsPage = { executions: Execution[]; next_cursor: string | null };

const PAGE_SIZE = 50;

export function getExecutions(filters: ExecutionFilters, cursor: string | null): Promise<ExecutionsPage> {
  return api.get<ExecutionsPage>('/api/executions', {
    params: { integration_id: filters.integration_id, status: filters.status, limit: PAGE_SIZE, cursor },
  });
}

export function getExecutionsQueryOptions(filters: ExecutionFilters) {
  const key = { integration_id: filters.integration_id ?? '', status: filters.status ?? '' };
  return infiniteQueryOptions({
    queryKey: ['executions', 'list', key],
    queryFn: ({ pageParam }) => getExecutions(key, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useExecutions(filters: ExecutionFilters) {
  return useInfiniteQuery({ ...getExecutionsQueryOptions(filters), placeholderData: keepPreviousData });
}
