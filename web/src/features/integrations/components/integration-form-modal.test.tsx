// The create/edit modal against the fake API: errors beside fields, the actions editor, auth-specific fields.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';
import type { IntegrationInput } from '@/types/api';

async function openCreateModal() {
  const app = renderApp('/integrations');
  await app.user.click(await screen.findByRole('button', { name: 'New integration' }));
  const dialog = await screen.findByRole('dialog', { name: 'New integration' });
  return { ...app, dialog: within(dialog) };
}

describe('IntegrationFormModal', () => {
  it('shows each API validation error beside the field it names', async () => {
    const api = new FakeApi();
    api.on('POST', /^\/api\/custom-integrations$/, () => ({
      status: 422,
      body: errorBody('validation_failed', 'Some fields are not valid.', [
        { field: 'base_url', problem: 'Enter an http or https URL.' },
        { field: 'actions[1].http_method', problem: 'Unknown method.' },
        { field: 'quota', problem: 'Not allowed here.' },
      ]),
    }));
    const app = renderApp('/integrations', api);
    const { user } = app;
    await user.click(await screen.findByRole('button', { name: 'New integration' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'New integration' }));
    await user.type(dialog.getByLabelText('Display name'), 'Weather');
    await user.type(dialog.getByLabelText('Base URL'), 'ftp://weather');
    await user.click(dialog.getByRole('button', { name: '+ Add action' }));
    await user.type(dialog.getByLabelText('Action name'), 'Today');
    await user.click(dialog.getByRole('button', { name: '+ Add action' }));
    await user.click(dialog.getByRole('button', { name: 'Create integration' }));

    const baseUrl = dialog.getByLabelText('Base URL');
    await waitFor(() => expect(baseUrl).toHaveAttribute('aria-invalid', 'true'));
    expect(baseUrl).toHaveAccessibleDescription(/Enter an http or https URL\./);
    expect(baseUrl).toHaveFocus();

    const secondAction = dialog.getByRole('group', { name: /^Action 2/ });
    const method = within(secondAction).getByLabelText('HTTP method');
    expect(method).toHaveAttribute('aria-invalid', 'true');
    expect(method).toHaveAccessibleDescription('Unknown method.');
    const firstAction = dialog.getByRole('group', { name: 'Action 1: Today' });
    expect(within(firstAction).getByLabelText('HTTP method')).not.toHaveAttribute('aria-invalid');

    expect(dialog.getByText('quota: Not allowed here.')).toBeInTheDocument();
    expect(await screen.findByText('Some fields are not valid.')).toBeInTheDocument();

    await user.clear(baseUrl);
    await user.type(baseUrl, 'https://weather.example.com');
    expect(baseUrl).not.toHaveAttribute('aria-invalid');
  });

  it('puts a duplicate-name conflict on the name field', async () => {
    const api = new FakeApi();
    api.addIntegration({ name: 'weather' });
    const app = renderApp('/integrations', api);
    await app.user.click(await screen.findByRole('button', { name: 'New integration' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'New integration' }));
    await app.user.type(dialog.getByLabelText('Display name'), 'Weather');
    await app.user.type(dialog.getByLabelText('Base URL'), 'https://weather.example.com');
    await app.user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(dialog.getByLabelText('Name')).toHaveAccessibleDescription(/already exists/));
  });

  it('adds, reorders and removes actions and saves them in the order shown; the list updates at once', async () => {
    const { user, dialog, api } = await openCreateModal();
    expect(dialog.getByLabelText('Display name')).toHaveFocus();
    await user.type(dialog.getByLabelText('Display name'), 'Tasks API');
    expect(dialog.getByLabelText('Name')).toHaveValue('tasks_api');
    await user.type(dialog.getByLabelText('Base URL'), 'https://tasks.example.com');
    for (const name of ['List tasks', 'Create task', 'Delete task']) {
      await user.click(dialog.getByRole('button', { name: '+ Add action' }));
      const groups = dialog.getAllByRole('group', { name: /^Action \d/ });
      await user.type(within(groups[groups.length - 1]!).getByLabelText('Action name'), name);
    }
    await user.click(dialog.getByRole('button', { name: 'Move Action 3: Delete task up' }));
    expect(dialog.getAllByRole('group', { name: /^Action \d/ }).map((g) => g.getAttribute('aria-label'))).toEqual([
      'Action 1: List tasks',
      'Action 2: Delete task',
      'Action 3: Create task',
    ]);
    await user.click(dialog.getByRole('button', { name: 'Remove Action 1: List tasks' }));
    expect(dialog.getAllByRole('group', { name: /^Action \d/ })).toHaveLength(2);

    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = api.calls('POST', /^\/api\/custom-integrations$/)[0]!.body as IntegrationInput;
    expect(sent.actions.map((a) => a.action_id)).toEqual(['delete_task', 'create_task']);
    expect(await screen.findByRole('link', { name: 'Tasks API' })).toBeInTheDocument();
    expect(await screen.findByText('Created “Tasks API”')).toBeInTheDocument();
  });

  it('edits parameters with typed defaults and catches a bad default before sending', async () => {
    const { user, dialog, api } = await openCreateModal();
    await user.type(dialog.getByLabelText('Display name'), 'Users');
    await user.type(dialog.getByLabelText('Base URL'), 'https://users.example.com');
    await user.click(dialog.getByRole('button', { name: '+ Add action' }));
    const action = within(dialog.getByRole('group', { name: /^Action 1/ }));
    await user.type(action.getByLabelText('Action name'), 'List users');
    await user.click(action.getByRole('button', { name: /^Add parameter to Action 1/ }));
    await user.click(action.getByRole('button', { name: /^Add parameter to Action 1/ }));
    const [limit, filter] = action.getAllByRole('group', { name: /^Parameter \d/ });
    await user.type(within(limit!).getByLabelText('Parameter name'), 'limit');
    await user.selectOptions(within(limit!).getByLabelText('Type'), 'integer');
    await user.type(within(limit!).getByLabelText('Default'), '10');
    await user.type(within(filter!).getByLabelText('Parameter name'), 'filter');
    await user.selectOptions(within(filter!).getByLabelText('Type'), 'object');
    await user.selectOptions(within(filter!).getByLabelText('In'), 'body');
    await user.type(within(filter!).getByLabelText('Default'), 'not json');

    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    const badDefault = within(filter!).getByLabelText('Default');
    expect(badDefault).toHaveAccessibleDescription('Enter valid JSON.');
    expect(api.calls('POST', /^\/api\/custom-integrations$/)).toHaveLength(0);

    await user.clear(badDefault);
    await user.click(within(filter!).getByLabelText('Required'));
    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(api.calls('POST', /^\/api\/custom-integrations$/)).toHaveLength(1));
    const sent = api.calls('POST', /^\/api\/custom-integrations$/)[0]!.body as IntegrationInput;
    expect(sent.actions[0]!.parameters).toEqual([
      { name: 'limit', in: 'query', type: 'integer', required: false, default: 10 },
      { name: 'filter', in: 'body', type: 'object', required: true },
    ]);
  });

  it('shows OAuth2 fields and stores the client secret in the vault, not in the integration', async () => {
    const { user, dialog, api } = await openCreateModal();
    await user.type(dialog.getByLabelText('Display name'), 'Calendar');
    await user.type(dialog.getByLabelText('Base URL'), 'https://calendar.example.com');
    expect(dialog.getByLabelText('Header name')).toBeInTheDocument();
    await user.selectOptions(dialog.getByLabelText('Auth type'), 'oauth2');
    expect(dialog.queryByLabelText('Header name')).not.toBeInTheDocument();
    await user.type(dialog.getByLabelText('Authorize URL'), 'https://auth.example.com/authorize');
    await user.type(dialog.getByLabelText('Token URL'), 'https://auth.example.com/token');
    await user.type(dialog.getByLabelText('Client ID'), 'client-1');
    const secret = dialog.getByLabelText('Client secret');
    expect(secret).toHaveAttribute('type', 'password');
    await user.type(secret, 'cs-very-secret-9876');
    await user.type(dialog.getByLabelText('Scopes'), 'read, write');
    await user.click(dialog.getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const created = api.calls('POST', /^\/api\/custom-integrations$/)[0]!;
    expect(JSON.stringify(created.body)).not.toContain('cs-very-secret-9876');
    expect((created.body as IntegrationInput).oauth_config).toEqual({
      authorize_url: 'https://auth.example.com/authorize',
      token_url: 'https://auth.example.com/token',
      client_id: 'client-1',
      scopes: ['read', 'write'],
      pkce: true,
      grant_type: 'authorization_code',
    });
    const stored = api.calls('POST', /\/credentials$/);
    expect(stored.map((r) => r.body)).toEqual([{ type: 'oauth2_client', client_secret: 'cs-very-secret-9876' }]);
  });

  it('edits an existing integration and the list shows the change without a reload', async () => {
    const api = new FakeApi();
    api.addIntegration({
      name: 'crm',
      display_name: 'CRM',
      actions: [{ action_id: 'list', action_name: 'List', description: '', http_method: 'GET', endpoint: '/contacts', parameters: [] }],
    });
    const app = renderApp('/integrations', api);
    await app.user.click(await screen.findByRole('button', { name: 'Edit CRM' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Edit CRM' }));
    expect(dialog.getByLabelText('Name')).toHaveValue('crm');
    await app.user.clear(dialog.getByLabelText('Display name'));
    await app.user.type(dialog.getByLabelText('Display name'), 'Sales CRM');
    expect(dialog.getByLabelText('Name')).toHaveValue('crm');
    await app.user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('link', { name: 'Sales CRM' })).toBeInTheDocument();
    expect(api.calls('PUT', /^\/api\/custom-integrations\/int-1$/)).toHaveLength(1);
    expect(api.calls('GET', /^\/api\/me$/)).toHaveLength(1);
  });
});
