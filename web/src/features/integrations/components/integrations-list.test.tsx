// The integrations list (the seed's Settings page): columns, search, delete with confirmation, empty state.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';

function seeded() {
  const api = new FakeApi();
  const stripe = api.addIntegration({
    name: 'stripe',
    display_name: 'Stripe',
    base_url: 'https://api.stripe.com',
    actions: [
      { action_id: 'list_charges', action_name: 'List charges', description: '', http_method: 'GET', endpoint: '/charges', parameters: [] },
      { action_id: 'refund', action_name: 'Refund', description: '', http_method: 'POST', endpoint: '/refunds', parameters: [] },
    ],
  });
  api.credentials.set(stripe.id, {
    secret: 'sk_live_abcd1234',
    meta: { type: 'api_key', mask: '••••1234', status: 'expired', created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' },
  });
  api.addIntegration({ name: 'github', display_name: 'GitHub', auth_type: 'bearer', base_url: 'https://api.github.com' });
  api.addIntegration({ name: 'status_page', display_name: 'Status page', auth_type: 'none', base_url: 'https://status.example.com' });
  api.addIntegration({ name: 'other_tenant', display_name: 'Other tenant' }, 'w-other');
  return api;
}

describe('IntegrationsList', () => {
  it('shows name, auth type, base URL, number of actions and credential status of this workspace only', async () => {
    renderApp('/integrations', seeded());
    const table = await screen.findByRole('table', { name: 'Custom integrations' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const stripe = within(rows[0]!);
    expect(stripe.getByRole('link', { name: 'Stripe' })).toHaveAttribute('href', '/integrations/int-1');
    expect(stripe.getByText('API key')).toBeInTheDocument();
    expect(stripe.getByText('https://api.stripe.com')).toBeInTheDocument();
    expect(stripe.getByText('2')).toBeInTheDocument();
    expect(stripe.getByText('Expired')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Not set')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Not needed')).toBeInTheDocument();
    expect(screen.queryByText('Other tenant')).not.toBeInTheDocument();
  });

  it('filters by name through the API as the person types', async () => {
    const app = renderApp('/integrations', seeded());
    await screen.findByRole('link', { name: 'GitHub' });
    await app.user.type(screen.getByRole('searchbox', { name: 'Search integrations' }), 'git');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Stripe' })).not.toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'GitHub' })).toBeInTheDocument();
    expect(app.api.calls('GET', /^\/api\/custom-integrations$/).some((r) => r.query.get('name') === 'git')).toBe(true);

    await app.user.type(screen.getByRole('searchbox', { name: 'Search integrations' }), 'zzz');
    expect(await screen.findByText('No integrations match “gitzzz”')).toBeInTheDocument();
    await app.user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(await screen.findByRole('link', { name: 'Stripe' })).toBeInTheDocument();
  });

  it('asks before deleting; cancel keeps the integration, confirm removes it without a reload', async () => {
    const app = renderApp('/integrations', seeded());
    await app.user.click(await screen.findByRole('button', { name: 'Delete Stripe' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete “Stripe”?' });
    expect(confirm).toHaveAccessibleDescription(/2 actions and its stored credential/);
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await app.user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(app.api.calls('DELETE', /./)).toHaveLength(0);

    await app.user.click(screen.getByRole('button', { name: 'Delete Stripe' }));
    await app.user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete integration' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Stripe' })).not.toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'GitHub' })).toBeInTheDocument();
    expect(app.api.calls('DELETE', /^\/api\/custom-integrations\/int-1$/)).toHaveLength(1);
    expect(await screen.findByText('Deleted “Stripe”')).toBeInTheDocument();
  });

  it('closes the confirmation with Escape', async () => {
    const app = renderApp('/integrations', seeded());
    await app.user.click(await screen.findByRole('button', { name: 'Delete GitHub' }));
    await screen.findByRole('alertdialog');
    await app.user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete GitHub' })).toHaveFocus();
  });

  it('invites to create the first integration when there is none', async () => {
    const app = renderApp('/integrations');
    expect(await screen.findByText('No integrations yet')).toBeInTheDocument();
    await app.user.click(screen.getByRole('button', { name: 'Create your first integration' }));
    expect(await screen.findByRole('dialog', { name: 'New integration' })).toBeInTheDocument();
  });

  it('shows an error state with a retry when the list cannot be loaded', async () => {
    const api = new FakeApi();
    let fail = true;
    api.on('GET', /^\/api\/custom-integrations$/, () => (fail ? { status: 500, body: { error: { code: 'internal', message: 'Database unavailable.' } } } : undefined));
    const app = renderApp('/integrations', api);
    expect(await screen.findByText('Could not load integrations')).toBeInTheDocument();
    fail = false;
    await app.user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No integrations yet')).toBeInTheDocument();
  });
});
