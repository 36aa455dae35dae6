// GET /api/me: the signed-in user, workspace and CSRF token, or null when nobody is signed in.

import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { rememberSession, sessionQueryKey } from '@/lib/session';
import type { Session } from '@/types/api';

/** Resolves to the session, or null on 401; other failures reject. */
export async function getMe(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/api/me', { allowUnauthenticated: true, quiet: [401] });
    rememberSession(session);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return null;
    }
    throw error;
  }
}

export function getMeQueryOptions() {
  return queryOptions({ queryKey: sessionQueryKey, queryFn: getMe, staleTime: Infinity });
}

/** The current session (data is null when signed out). */
export function useSession() {
  return useQuery(getMeQueryOptions());
}
