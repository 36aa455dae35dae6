// First-run setup, sign-in, sign-out, and an expired session that sends to sign-in without losing typed work.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';
import type { IntegrationInput } from '@/types/api';

describe('session', () => {
  it('offers first-run setup while no account exists, then lands signed in', async () => {
    const api = new FakeApi();
    api.users = [];
    api.sessionUser = null;
    api.setupRequired = true;
    const app = renderApp('/integrations', api);
    expect(await screen.findByRole('heading', { name: 'Set up Global Connector' })).toBeInTheDocument();
    await app.user.type(screen.getByLabelText('Your name'), 'Ada');
    await app.user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await app.user.type(screen.getByLabelText('Password'), 'short');
    await app.user.click(screen.getByRole('button', { name: 'Create owner account' }));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/at least 8 characters/);
    expect(api.calls('POST', /setup/)).toHaveLength(0);

    await app.user.type(screen.getByLabelText('Password'), '-but-longer');
    await app.user.click(screen.getByRole('button', { name: 'Create owner account' }));
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeInTheDocument();
    expect(api.calls('POST', /setup/)[0]!.body).toEqual({ name: 'Ada', email: 'ada@example.com', password: 'short-but-longer' });
    expect(screen.getByText('Ada')).toBeInTheDocument();
  });

  it('sends a signed-out visitor to sign-in and back to the page they asked for', async () => {
    const api = new FakeApi();
    api.sessionUser = null;
    api.addIntegration({ name: 'crm', display_name: 'CRM' });
    const app = renderApp('/integrations/int-1', api);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(app.router.state.location.search).toBe('?next=%2Fintegrations%2Fint-1');
    await app.user.type(screen.getByLabelText('Email'), 'owner@example.com');
    await app.user.type(screen.getByLabelText('Password'), 'wrong password');
    await app.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('That email and password do not match an account.')).toBeInTheDocument();

    await app.user.clear(screen.getByLabelText('Password'));
    await app.user.type(screen.getByLabelText('Password'), 'correct horse');
    await app.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'CRM' })).toBeInTheDocument();
  });

  it('shows the rate-limit message with its wait time', async () => {
    const api = new FakeApi();
    api.sessionUser = null;
    api.on('POST', /^\/api\/auth\/login$/, () => ({
      status: 429,
      headers: { 'Retry-After': '30' },
      body: { error: { code: 'rate_limited', message: 'Too many sign-in attempts.' } },
    }));
    const app = renderApp('/sign-in', api);
    await app.user.type(await screen.findByLabelText('Email'), 'owner@example.com');
    await app.user.type(screen.getByLabelText('Password'), 'x');
    await app.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Too many sign-in attempts. Try again in 30 s.')).toBeInTheDocument();
  });

  it('signs out: back to sign-in, and the app forgets the session', async () => {
    const app = renderApp('/integrations');
    await app.user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(app.api.calls('POST', /logout/)[0]!.headers['x-csrf-token']).toBe('csrf-token-1');
    expect(app.api.sessionUser).toBeNull();
    expect(app.queryClient.getQueryData(['integrations', 'list', { name: '' }])).toBeUndefined();
  });

  it('an expired session sends to sign-in and restores the open form with what was typed', async () => {
    const app = renderApp('/integrations');
    const { user, api } = app;
    await user.click(await screen.findByRole('button', { name: 'New integration' }));
    let dialog = within(await screen.findByRole('dialog', { name: 'New integration' }));
    await user.type(dialog.getByLabelText('Display name'), 'Half-typed API');
    await user.type(dialog.getByLabelText('Base URL'), 'https://half.example.com');
    await user.click(dialog.getByRole('button', { name: '+ Add action' }));
    await user.type(dialog.getByLabelText('Action name'), 'Ping');

    api.expireSession();
    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('Your session has expired')).toBeInTheDocument();
    expect(screen.getByText('Sign in to continue where you left off.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Email'), 'owner@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    dialog = within(await screen.findByRole('dialog', { name: 'New integration' }));
    expect(dialog.getByLabelText('Display name')).toHaveValue('Half-typed API');
    expect(dialog.getByLabelText('Base URL')).toHaveValue('https://half.example.com');
    expect(dialog.getByRole('group', { name: 'Action 1: Ping' })).toBeInTheDocument();

    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const created = api.calls('POST', /^\/api\/custom-integrations$/).at(-1)!;
    expect((created.body as IntegrationInput).display_name).toBe('Half-typed API');
    expect(created.headers['x-csrf-token']).toBe(api.csrfToken);
  });

  it('drops the draft when someone else signs in after the session expired', async () => {
    const api = new FakeApi();
    api.users.push({ id: 'u2', email: 'second@example.com', name: 'Second', password: 'second password', workspaceId: 'w2' });
    const app = renderApp('/integrations', api);
    const { user } = app;
    await user.click(await screen.findByRole('button', { name: 'New integration' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'New integration' }));
    await user.type(dialog.getByLabelText('Display name'), 'Owner draft');
    api.expireSession();
    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await user.type(await screen.findByLabelText('Email'), 'second@example.com');
    await user.type(screen.getByLabelText('Password'), 'second password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('No integrations yet')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
