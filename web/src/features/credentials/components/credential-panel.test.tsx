// The credential panel: masked input, only the mask after saving, replace, delete, OAuth2 connect.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';

const SECRET = 'sk_live_CANARY_5f3a9d7e4242';

async function detailPage(api: FakeApi) {
  const app = renderApp('/integrations/int-1', api);
  const panel = within(await screen.findByRole('region', { name: 'Credential' }));
  return { ...app, panel };
}

describe('CredentialPanel', () => {
  it('stores an API key through a masked input and afterwards shows only its mask, never the secret', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'payments', display_name: 'Payments' });
    const { user, panel } = await detailPage(api);
    expect(await panel.findByText('No credential stored yet.')).toBeInTheDocument();
    const input = panel.getByLabelText('API key');
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveValue('');
    await user.type(input, SECRET);
    await user.click(panel.getByRole('button', { name: 'Save credential' }));

    expect(await panel.findByText('••••4242')).toBeInTheDocument();
    expect(panel.getByText('Valid')).toBeInTheDocument();
    expect(api.calls('POST', /\/credentials$/)[0]!.body).toEqual({ type: 'api_key', value: SECRET });
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(panel.queryByLabelText('API key')).not.toBeInTheDocument();

    await user.click(panel.getByRole('button', { name: 'Replace' }));
    const replacement = panel.getByLabelText('API key');
    expect(replacement).toHaveValue('');
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('never fills the form from a stored credential, and deletes it after confirmation', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'mail', display_name: 'Mail', auth_type: 'basic' });
    api.credentials.set('int-1', {
      secret: 'hunter2-password',
      meta: { type: 'basic', mask: '••••word', status: 'invalid', invalid_reason: 'Upstream answered 401', created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-02T00:00:00Z' },
    });
    const { user, panel } = await detailPage(api);
    expect(await panel.findByText('••••word')).toBeInTheDocument();
    expect(panel.getByText('Invalid')).toBeInTheDocument();
    expect(panel.getByText('Upstream answered 401')).toBeInTheDocument();
    await user.click(panel.getByRole('button', { name: 'Replace' }));
    expect(panel.getByLabelText('Username')).toHaveValue('');
    expect(panel.getByLabelText('Password')).toHaveValue('');
    await user.click(panel.getByRole('button', { name: 'Cancel' }));

    await user.click(panel.getByRole('button', { name: 'Delete credential' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete credential' }));
    expect(await panel.findByText('No credential stored yet.')).toBeInTheDocument();
    expect(api.credentials.has('int-1')).toBe(false);
  });

  it('shows the API error beside the credential field', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'tokens', display_name: 'Tokens', auth_type: 'bearer' });
    const { user, panel } = await detailPage(api);
    await user.click(await panel.findByRole('button', { name: 'Save credential' }));
    await waitFor(() => expect(panel.getByLabelText('Bearer token')).toHaveAccessibleDescription(/Enter a value\./));
  });

  it('offers Connect for OAuth2, pointing the browser at the authorize endpoint', async () => {
    const api = new FakeApi();
    api.addIntegration({
      name: 'calendar',
      display_name: 'Calendar',
      auth_type: 'oauth2',
      oauth_config: { authorize_url: 'https://auth.example.com/a', token_url: 'https://auth.example.com/t', client_id: 'c', grant_type: 'authorization_code' },
    });
    api.credentials.set('int-1', {
      secret: 'client-secret',
      meta: { type: 'oauth2_client', mask: '••••cret', status: 'valid', created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' },
    });
    const { panel } = await detailPage(api);
    expect(await panel.findByText(/Not connected yet/)).toBeInTheDocument();
    expect(panel.getByRole('link', { name: 'Connect' })).toHaveAttribute('href', '/api/custom-integrations/int-1/oauth/authorize');
  });

  it('says "Connected" after the OAuth2 flow returns with ?connected=1', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'calendar', display_name: 'Calendar', auth_type: 'oauth2', oauth_config: {} });
    api.credentials.set('int-1', {
      secret: 'access',
      meta: { type: 'oauth2', mask: '••••cess', status: 'valid', expires_at: '2026-11-24T12:00:00Z', created_at: '2026-11-24T10:00:00Z', updated_at: '2026-11-24T10:00:00Z' },
    });
    const app = renderApp('/integrations/int-1?connected=1', api);
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    const panel = within(await screen.findByRole('region', { name: 'Credential' }));
    expect(await panel.findByRole('link', { name: 'Reconnect' })).toBeInTheDocument();
    expect(panel.getByText('Expires')).toBeInTheDocument();
    await waitFor(() => expect(app.router.state.location.search).toBe(''));
  });
});
