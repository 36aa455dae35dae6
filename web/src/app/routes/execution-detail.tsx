// One call of the history, in full.

import { Link, useParams } from 'react-router';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { ExecutionDetail } from '@/features/executions/components/execution-detail';

export function ExecutionDetailRoute() {
  const { executionId = '' } = useParams();
  return (
    <>
      <PageHeader back={<Link to="/executions">← Call history</Link>} title="Call details" />
      <Card title="Call">
        <ExecutionDetail executionId={executionId} />
      </Card>
    </>
  );
}
