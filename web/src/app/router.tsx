// The app's routes: setup and sign-in are public; everything else needs a session.

import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './layout';
import { RequireSession } from './require-session';
import { ExecutionDetailRoute } from './routes/execution-detail';
import { ExecutionsRoute } from './routes/executions';
import { IntegrationDetailRoute } from './routes/integration-detail';
import { IntegrationsRoute } from './routes/integrations';
import { NotFoundRoute } from './routes/not-found';
import { SetupRoute } from './routes/setup';
import { SignInRoute } from './routes/sign-in';
import { TokensRoute } from './routes/tokens';

export const routes: RouteObject[] = [
  { path: '/setup', element: <SetupRoute /> },
  { path: '/sign-in', element: <SignInRoute /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/integrations" replace /> },
          { path: '/integrations', element: <IntegrationsRoute /> },
          { path: '/integrations/:integrationId', element: <IntegrationDetailRoute /> },
          { path: '/executions', element: <ExecutionsRoute /> },
          { path: '/executions/:executionId', element: <ExecutionDetailRoute /> },
          { path: '/tokens', element: <TokensRoute /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export type AppRouter = ReturnType<typeof createBrowserRouter>;

/** The router for the browser, or an in-memory one starting at initialPath (tests). */
export function createAppRouter(initialPath?: string): AppRouter {
  if (initialPath !== undefined) {
    return createMemoryRouter(routes, { initialEntries: [initialPath] });
  }
  return createBrowserRouter(routes);
}
