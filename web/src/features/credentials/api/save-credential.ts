// POST /api/custom-integrations/{id}/credentials: stores or atomically replaces the credential. The secret goes
// out once, in this request body; the answer holds only its mask.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CredentialMeta } from '@/types/api';

export type CredentialInput =
  | { type: 'api_key'; value: string }
  | { type: 'bearer'; value: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth2'; access_token: string; refresh_token?: string; expires_at?: string; scopes?: string[] }
  | { type: 'oauth2_client'; client_secret: string };

export function saveCredential({ integrationId, input }: { integrationId: string; input: CredentialInput }): Promise<CredentialMeta> {
  return api.post<CredentialMeta>(`/api/custom-integrations/${encodeURIComponent(integrationId)}/credentials`, input);
}

export function useSaveCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveCredential,
    onSuccess: (meta, { integrationId }) => {
      queryClient.setQueryData(['credentials', integrationId], meta);
      void queryClient.invalidateQueries({ queryKey: ['integrations'] });
    },
  });
}
