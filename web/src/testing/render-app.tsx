// Renders the whole app at a path against a FakeApi, as a person would meet it.

import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { AppProvider, installSessionExpiry } from '@/app/provider';
import { createAppRouter } from '@/app/router';
import { createQueryClient } from '@/lib/query-client';
import { FakeApi } from './fake-api';

/** Starts the app at path with fetch served by api (a fresh FakeApi with the owner signed in by default). */
export function renderApp(path = '/integrations', api: FakeApi = new FakeApi()) {
  vi.stubGlobal('fetch', api.fetch);
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  installSessionExpiry(queryClient);
  const router = createAppRouter(path);
  const user = userEvent.setup({ delay: null });
  const result = render(<AppProvider queryClient={queryClient} router={router} />);
  return { ...result, api, user, router, queryClient };
}
