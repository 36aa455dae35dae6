// Session bookkeeping shared by sign-in, setup, sign-out and the session probe: the CSRF token in memory, and
// no cached data or saved draft carried from one user to another.

import type { QueryClient } from '@tanstack/react-query';
import type { Session } from '@/types/api';
import { setCsrfToken } from './api-client';
import { clearDrafts, keepDraftsOnlyFor } from './drafts';

/** The React Query key of the current session (Session, or null when signed out). */
export const sessionQueryKey = ['auth', 'me'] as const;

let lastUserId: string | null = null;

/** Notes a session's user and CSRF token; returns false when it is a different user than the last one. */
export function rememberSession(session: Session): boolean {
  setCsrfToken(session.csrf_token);
  keepDraftsOnlyFor(session.user.id);
  const sameUser = lastUserId === null || lastUserId === session.user.id;
  lastUserId = session.user.id;
  return sameUser;
}

/**
 * Starts a session after setup or sign-in. When another user than the last one signs in, every cached query
 * is dropped first. Returns false in that case, so the caller does not lead them into the previous user's page.
 */
export function startSession(queryClient: QueryClient, session: Session): boolean {
  const sameUser = rememberSession(session);
  if (!sameUser) {
    forgetWorkspaceData(queryClient);
  }
  queryClient.setQueryData(sessionQueryKey, session);
  return sameUser;
}

/** Ends the session for good (sign-out): token, cache and drafts are all forgotten. */
export function endSession(queryClient: QueryClient) {
  setCsrfToken(null);
  clearDrafts();
  lastUserId = null;
  forgetWorkspaceData(queryClient);
  queryClient.setQueryData(sessionQueryKey, null);
}

/** Drops every cached query except the auth ones, whose observers (the route guards) stay subscribed. */
function forgetWorkspaceData(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
}

/** Forgets the last user (tests). */
export function resetSessionMemory() {
  lastUserId = null;
  setCsrfToken(null);
}
