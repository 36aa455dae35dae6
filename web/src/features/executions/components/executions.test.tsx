// The call history: filters (kept in the URL) and the detail view.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';
import type { Execution } from '@/types/api';

function history() {
  const api = new FakeApi();
  api.addIntegration({ name: 'alpha', display_name: 'Alpha' });
  api.addIntegration({ name: 'beta', display_name: 'Beta' });
  const base: Omit<Execution, 'id' | 'integration_id' | 'integration_name' | 'status' | 'status_code'> = {
    action_id: 'ping',
    kind: 'execute',
    method: 'GET',
    url: 'https://api.example.com/ping',
    attempts: 1,
    duration_ms: 120,
    error_code: null,
    error_message: null,
    created_at: '2026-11-24T09:00:00Z',
  };
  api.executions.push(
    { ...base, id: 'e1', integration_id: 'int-1', integration_name: 'alpha', status: 'success', status_code: 200, workspaceId: 'w1' },
    {
      ...base,
      id: 'e2',
      integration_id: 'int-2',
      integration_name: 'beta',
      status: 'error',
      status_code: 503,
      attempts: 3,
      error_code: 'upstream_unavailable',
      error_message: 'The API answered 503 three times.',
      workspaceId: 'w1',
    },
    { ...base, id: 'e3', integration_id: 'int-9', integration_name: 'foreign', status: 'success', status_code: 200, workspaceId: 'w-other' },
  );
  return api;
}

describe('call history', () => {
  it('lists calls and filters them by status and integration', async () => {
    const app = renderApp('/executions', history());
    const table = await screen.findByRole('table', { name: 'Call history' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByText('foreign')).not.toBeInTheDocument();

    await app.user.selectOptions(screen.getByLabelText('Status'), 'error');
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Call history' })).getAllByRole('row')).toHaveLength(2));
    expect(screen.getByText('Error · 503')).toBeInTheDocument();
    expect(app.router.state.location.search).toBe('?status=error');

    await app.user.selectOptions(screen.getByLabelText('Status'), '');
    await app.user.selectOptions(await screen.findByLabelText('Integration'), 'Alpha');
    await waitFor(() => expect(screen.queryByText('beta')).not.toBeInTheDocument());
    expect(app.api.calls('GET', /^\/api\/executions$/).at(-1)!.query.get('integration_id')).toBe('int-1');

    await app.user.selectOptions(screen.getByLabelText('Status'), 'error');
    expect(await screen.findByText('No calls match these filters')).toBeInTheDocument();
  });

  it('opens the detail view of a call', async () => {
    const app = renderApp('/executions', history());
    const rows = within(await screen.findByRole('table', { name: 'Call history' })).getAllByRole('row');
    await app.user.click(within(rows[2]!).getByRole('link', { name: /^Details of the GET call/ }));
    const details = within(await screen.findByLabelText('Call details'));
    expect(details.getByText('upstream_unavailable')).toBeInTheDocument();
    expect(details.getByText('The API answered 503 three times.')).toBeInTheDocument();
    expect(details.getByText('HTTP 503')).toBeInTheDocument();
    expect(details.getByText('3')).toBeInTheDocument();
    expect(details.getByRole('link', { name: 'beta' })).toHaveAttribute('href', '/integrations/int-2');
  });

  it('says so when a call is not in this workspace', async () => {
    renderApp('/executions/e3', history());
    expect(await screen.findByText('This call is not in your history')).toBeInTheDocument();
  });
});
