// The credential status badge shown in the integrations list and on an integration's page.

import type { AuthType, CredentialMeta } from '@/types/api';
import { Badge, type BadgeTone } from './ui/badge';

const STATUS: Record<CredentialMeta['status'], { tone: BadgeTone; label: string }> = {
  valid: { tone: 'success', label: 'Valid' },
  expired: { tone: 'warning', label: 'Expired' },
  invalid: { tone: 'danger', label: 'Invalid' },
  unreadable: { tone: 'danger', label: 'Unreadable' },
};

/** "Not needed" for auth type none, "Not set" without a credential, else the credential's status. */
export function CredentialStatus({ authType, credential }: { authType: AuthType; credential: CredentialMeta | null | undefined }) {
  if (authType === 'none') {
    return <Badge>Not needed</Badge>;
  }
  if (!credential) {
    return <Badge tone="warning">Not set</Badge>;
  }
  if (authType === 'oauth2' && credential.type === 'oauth2_client') {
    return <Badge tone="warning">Not connected</Badge>;
  }
  const status = STATUS[credential.status] ?? { tone: 'neutral' as const, label: credential.status };
  return <Badge tone={status.tone}>{status.label}</Badge>;
}
