// The call history page; its filters live in the URL so a filtered view can be linked.

import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import type { ExecutionFilters } from '@/features/executions/api/get-executions';
import { ExecutionsList } from '@/features/executions/components/executions-list';
import { useIntegrations } from '@/features/integrations/api/get-integrations';

export function ExecutionsRoute() {
  const [params, setParams] = useSearchParams();
  const integrations = useIntegrations('');
  const status = params.get('status');
  const filters: ExecutionFilters = {
    integration_id: params.get('integration_id') ?? '',
    status: status === 'success' || status === 'error' ? status : '',
  };
  const options = (integrations.data?.pages.flatMap((page) => page.integrations) ?? []).map((i) => ({ id: i.id, label: i.display_name || i.name }));
  return (
    <>
      <PageHeader title="Call history" description="Every test call and action run, newest first." />
      <ExecutionsList
        filters={filters}
        integrations={options}
        onFiltersChange={(next) => {
          const search = new URLSearchParams();
          if (next.integration_id) {
            search.set('integration_id', next.integration_id);
          }
          if (next.status) {
            search.set('status', next.status);
          }
          setParams(search, { replace: true });
        }}
      />
    </>
  );
}
