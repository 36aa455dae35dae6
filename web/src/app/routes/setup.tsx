// First run: create the owner account. Once an account exists this page sends to sign-in.

import { Navigate } from 'react-router';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { useAuthStatus } from '@/features/auth/api/get-auth-status';
import { useSession } from '@/features/auth/api/get-me';
import { SetupForm } from '@/features/auth/components/setup-form';
import { AuthCard } from './auth-card';

export function SetupRoute() {
  const status = useAuthStatus();
  const session = useSession();
  if (session.data) {
    return <Navigate to="/integrations" replace />;
  }
  if (status.isLoading) {
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
  if (!status.data?.setup_required) {
    return <Navigate to="/sign-in" replace />;
  }
  return (
    <AuthCard title="Set up Global Connector" subtitle="Create the owner account. You can invite others later.">
      <SetupForm onDone={() => undefined} />
    </AuthCard>
  );
}
