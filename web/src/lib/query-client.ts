// The React Query client: no retries on 4xx (they will not get better), no refetch storms on focus.

import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

/** A fresh client; tests make one per render so no cache leaks between them. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.status !== 0 && error.status < 500) {
            return false;
          }
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
