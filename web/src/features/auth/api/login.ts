// POST /api/auth/login: signs in with email and password; the server sets the session cookie.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { startSession } from '@/lib/session';
import type { Session } from '@/types/api';

export type LoginInput = { email: string; password: string };

/** Signs in. Wrong credentials (401), bad input (422) and rate limiting (429) are left to the form to show. */
export function login(input: LoginInput): Promise<Session> {
  return api.post<Session>('/api/auth/login', input, { allowUnauthenticated: true, quiet: [401, 422, 429] });
}

/** onSuccess gets the session and whether the same user as before signed back in. */
export function useLogin(options: { onSuccess?: (session: Session, sameUser: boolean) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      const sameUser = startSession(queryClient, session);
      options.onSuccess?.(session, sameUser);
    },
  });
}
