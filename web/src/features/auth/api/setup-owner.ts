// POST /api/auth/setup: creates the first (owner) account on a fresh install and signs it in.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { startSession } from '@/lib/session';
import type { Session } from '@/types/api';

export type SetupInput = { name: string; email: string; password: string };

/** Creates the owner. 422 (field problems) is shown by the form; 409 means setup was already done. */
export function setupOwner(input: SetupInput): Promise<Session> {
  return api.post<Session>('/api/auth/setup', input, { allowUnauthenticated: true, quiet: [422] });
}

export function useSetupOwner(options: { onSuccess?: (session: Session) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setupOwner,
    onSuccess: (session) => {
      startSession(queryClient, session);
      queryClient.setQueryData(['auth', 'status'], { setup_required: false });
      options.onSuccess?.(session);
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: ['auth', 'status'] });
    },
  });
}
