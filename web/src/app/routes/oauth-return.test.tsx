// Coming back from the OAuth2 provider: the callback's redirect shows success or the error, and
// the query string is cleared so a reload does not show it again.

import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';

describe('OAuth2 return', () => {
  it('confirms a connection on the integration page', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'crm', display_name: 'CRM', auth_type: 'oauth2' });
    const app = renderApp('/integrations/int-1?connected=1', api);
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    await waitFor(() => expect(app.router.state.location.search).toBe(''));
  });

  it('reports a failed connection whose integration is unknown on the list', async () => {
    const app = renderApp('/integrations?oauth_error=invalid_state');
    expect(await screen.findByText('Connecting failed')).toBeInTheDocument();
    expect(screen.getByText(/invalid_state/)).toBeInTheDocument();
    await waitFor(() => expect(app.router.state.location.search).toBe(''));
  });
});
