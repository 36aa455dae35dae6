// The page for an unknown address.

import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/states';

export function NotFoundRoute() {
  return (
    <EmptyState title="Page not found" action={<Link to="/integrations">Go to integrations</Link>}>
      The address does not match any page.
    </EmptyState>
  );
}
