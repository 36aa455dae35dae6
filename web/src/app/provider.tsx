// Wires the app once: the query client, the router, the toaster, and what an expired session does (save every
// open form's draft in memory, forget the session; the route guard then shows sign-in).

import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { Toaster } from '@/components/ui/toaster';
import { setCsrfToken, setUnauthorizedHandler } from '@/lib/api-client';
import { snapshotDrafts } from '@/lib/drafts';
import { notify } from '@/lib/notifications';
import { sessionQueryKey } from '@/lib/session';
import type { Session } from '@/types/api';
import type { AppRouter } from './router';

/** Installs the 401 handler for this query client. Safe to call again (tests make one app per test). */
export function installSessionExpiry(queryClient: QueryClient) {
  setUnauthorizedHandler(() => {
    const session = queryClient.getQueryData<Session | null>(sessionQueryKey);
    if (!session) {
      return;
    }
    snapshotDrafts(session.user.id);
    setCsrfToken(null);
    queryClient.setQueryData(sessionQueryKey, null);
    notify({ kind: 'info', title: 'Your session has expired', description: 'Sign in again to continue; what you typed is kept.' });
  });
}

export function AppProvider({ queryClient, router }: { queryClient: QueryClient; router: AppRouter }) {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toaster />
    </QueryClientProvider>
  );
}
