// The API tokens page.

import { PageHeader } from '@/components/ui/page-header';
import { TokensPanel } from '@/features/tokens/components/tokens-panel';

export function TokensRoute() {
  return (
    <>
      <PageHeader title="API tokens" description="Personal tokens for calling the API from scripts. Each is shown once, when created." />
      <TokensPanel />
    </>
  );
}
