// POST /api/custom-integrations/{id}/credentials with {"type":"oauth2_client"}: stores an OAuth2 client secret
// typed in the integration form. The secret goes to the vault, never into the integration itself.

import { api } from '@/lib/api-client';
import type { CredentialMeta } from '@/types/api';

/** Stores the client secret for an OAuth2 integration; rejects with ApiError (field "client_secret"). */
export function saveClientSecret(id: string, clientSecret: string): Promise<CredentialMeta> {
  return api.post<CredentialMeta>(`/api/custom-integrations/${encodeURIComponent(id)}/credentials`, {
    type: 'oauth2_client',
    client_secret: clientSecret,
  });
}
