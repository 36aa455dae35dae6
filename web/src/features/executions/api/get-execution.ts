// GET /api/executions/{id}: one recorded call.

import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Execution } from '@/types/api';

export function getExecution(id: string): Promise<Execution> {
  return api.get<Execution>(`/api/executions/${encodeURIComponent(id)}`, { quiet: [404] });
}

export function getExecutionQueryOptions(id: string) {
  return queryOptions({ queryKey: ['executions', 'detail', id], queryFn: () => getExecution(id) });
}

export function useExecution(id: string) {
  return useQuery(getExecutionQueryOptions(id));
}
