// POST /api/execute: runs one action of an integration (provider "custom_<id>") with parameters.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CallResult, JsonValue } from '@/types/api';

export type ExecuteRequest = { provider: string; action: string; params: Record<string, JsonValue> };

/** The provider name of a custom integration. */
export function customProvider(integrationId: string): string {
  return `custom_${integrationId}`;
}

/** Runs the action; 422 names the parameter that is missing or of the wrong type. */
export function executeAction(request: ExecuteRequest): Promise<CallResult> {
  return api.post<CallResult>('/api/execute', request);
}

export function useExecuteAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: executeAction,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['executions'] }),
  });
}
