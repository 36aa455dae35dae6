// API tokens: a new token is shown once and gone after it is acknowledged.

import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';
import type { ApiToken } from '@/types/api';

describe('TokensPanel', () => {
  it('creates a token, shows it once, then lists it by prefix only', async () => {
    const api = new FakeApi();
    const tokens: ApiToken[] = [];
    api.on('GET', /^\/api\/tokens$/, () => ({ status: 200, body: { tokens } }));
    api.on('POST', /^\/api\/tokens$/, (request) => {
      const name = (request.body as { name: string }).name;
      tokens.push({ id: 't1', name, prefix: 'gc_ab12', created_at: '2026-11-24T10:00:00Z', last_used_at: null });
      return { status: 201, body: { id: 't1', name, token: 'gc_ab12_full_secret_token', prefix: 'gc_ab12', created_at: '2026-11-24T10:00:00Z' } };
    });
    const app = renderApp('/tokens', api);
    expect(await screen.findByText('No API tokens')).toBeInTheDocument();
    await app.user.type(screen.getByLabelText('Token name'), 'CI');
    await app.user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByLabelText('New API token')).toHaveTextContent('gc_ab12_full_secret_token');
    expect(await screen.findByText('gc_ab12…')).toBeInTheDocument();
    await app.user.click(screen.getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(document.body.innerHTML).not.toContain('gc_ab12_full_secret_token'));
    expect(screen.getByText('Never')).toBeInTheDocument();
  });
});
