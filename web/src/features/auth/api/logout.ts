// POST /api/auth/logout: ends the session on the server; the client forgets everything it cached.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { endSession } from '@/lib/session';

/** Signs out; a 401 (already expired) counts as done. */
export function logout(): Promise<void> {
  return api.post<void>('/api/auth/logout', undefined, { allowUnauthenticated: true, quiet: [401] });
}

export function useLogout(options: { onDone?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      endSession(queryClient);
      options.onDone?.();
    },
  });
}
