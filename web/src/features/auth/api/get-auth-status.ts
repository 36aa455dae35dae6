// GET /api/auth/status: whether the first-run setup (the owner account) is still to be done.

import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type AuthStatus = { setup_required: boolean };

/** Fetches the setup status; needs no session. */
export function getAuthStatus(): Promise<AuthStatus> {
  return api.get<AuthStatus>('/api/auth/status', { allowUnauthenticated: true });
}

export function getAuthStatusQueryOptions() {
  return queryOptions({ queryKey: ['auth', 'status'], queryFn: getAuthStatus, staleTime: 0 });
}

export function useAuthStatus() {
  return useQuery(getAuthStatusQueryOptions());
}
