// POST /api/custom-integrations/{id}/test: a live call through the integration, with its auth.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CallResult, HttpMethod, JsonValue } from '@/types/api';

export type TestRequest = {
  endpoint: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: JsonValue;
};

/** Makes the call; an upstream failure is a 200 with status "error", other failures reject with ApiError. */
export function testIntegration({ integrationId, request }: { integrationId: string; request: TestRequest }): Promise<CallResult> {
  return api.post<CallResult>(`/api/custom-integrations/${encodeURIComponent(integrationId)}/test`, request);
}

export function useTestIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: testIntegration,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['executions'] }),
  });
}
