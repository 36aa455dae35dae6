// The route guard: waits for the session probe, sends a signed-out person to sign-in (remembering where they were).

import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { useSession } from '@/features/auth/api/get-me';

export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isLoading) {
    return (
      <div className="center-page">
        <LoadingState label="Loading…" />
      </div>
    );
  }
  if (session.isError) {
    return (
      <div className="center-page">
        <ErrorState title="Cannot reach Global Connector" error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
