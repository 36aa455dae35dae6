// The sign-in page; sends to first-run setup while no account exists, and back to where the person was after.

import { useRef } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { useAuthStatus } from '@/features/auth/api/get-auth-status';
import { useSession } from '@/features/auth/api/get-me';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { safeNextPath } from '@/lib/next-path';
import { AuthCard } from './auth-card';

export function SignInRoute() {
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const status = useAuthStatus();
  const session = useSession();
  const sameUser = useRef<boolean | null>(null);

  if (session.data) {
    // Someone else than before goes to the start page, not into the previous user's page.
    const target = sameUser.current === false ? '/integrations' : (next ?? '/integrations');
    return <Navigate to={target} replace />;
  }
  if (status.isLoading || session.isLoading) {
    return (
      <div className="center-page">
        <LoadingState />
      </div>
    );
  }
  if (status.isError) {
    return (
      <div className="center-page">
        <ErrorState title="Cannot reach Global Connector" error={status.error} onRetry={() => void status.refetch()} />
      </div>
    );
  }
  if (status.data?.setup_required) {
    return <Navigate to="/setup" replace />;
  }
  return (
    <AuthCard title="Sign in" subtitle={next ? 'Sign in to continue where you left off.' : 'Welcome back to Global Connector.'}>
      <SignInForm
        onSignedIn={(_, same) => {
          sameUser.current = same;
        }}
      />
    </AuthCard>
  );
}
