// GET /api/custom-integrations/{id}/credentials: the stored credential's metadata (never the secret), or null.

import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import type { CredentialMeta } from '@/types/api';

/** Resolves to the metadata, or null when no credential is stored (404). */
export async function getCredential(integrationId: string): Promise<CredentialMeta | null> {
  try {
    return await api.get<CredentialMeta>(`/api/custom-integrations/${encodeURIComponent(integrationId)}/credentials`, { quiet: [404] });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  }
}

export function getCredentialQueryOptions(integrationId: string) {
  return queryOptions({ queryKey: ['credentials', integrationId], queryFn: () => getCredential(integrationId) });
}

/** enabled=false skips the fetch (an integration without auth has no credential). */
export function useCredential(integrationId: string, enabled = true) {
  return useQuery({ ...getCredentialQueryOptions(integrationId), enabled });
}
