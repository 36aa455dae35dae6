// The test panel and the run-action form generated from parameter definitions.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, FakeApi } from '@/testing/fake-api';
import { renderApp } from '@/testing/render-app';

function withActions() {
  const api = new FakeApi();
  api.addIntegration({
    name: 'blog',
    display_name: 'Blog',
    base_url: 'https://blog.example.com',
    actions: [
      {
        action_id: 'list_posts',
        action_name: 'List posts',
        description: '',
        http_method: 'GET',
        endpoint: '/users/{user_id}/posts',
        parameters: [
          { name: 'user_id', in: 'path', type: 'string', required: true, description: 'Whose posts' },
          { name: 'limit', in: 'query', type: 'integer', required: false, default: 10 },
          { name: 'drafts', in: 'query', type: 'boolean', required: false },
        ],
      },
      {
        action_id: 'create_post',
        action_name: 'Create post',
        description: '',
        http_method: 'POST',
        endpoint: '/posts',
        parameters: [{ name: 'post', in: 'body', type: 'object', required: true }],
      },
    ],
  });
  return api;
}

describe('TestPanel', () => {
  it('sends method, endpoint and JSON body, and shows status, time, headers and the pretty body', async () => {
    const app = renderApp('/integrations/int-1', withActions());
    const panel = within(await screen.findByRole('region', { name: 'Test a request' }));
    await app.user.selectOptions(panel.getByLabelText('Method'), 'POST');
    await app.user.clear(panel.getByLabelText('Endpoint'));
    await app.user.type(panel.getByLabelText('Endpoint'), '/echo');
    await app.user.click(panel.getByLabelText('Body (JSON, optional)'));
    await app.user.paste('{"title": "Hello"}');
    await app.user.click(panel.getByRole('button', { name: 'Send test request' }));

    const result = within(await panel.findByRole('region', { name: 'Test response' }));
    expect(result.getByText('Success')).toBeInTheDocument();
    expect(result.getByTestId('status-code')).toHaveTextContent('200');
    expect(result.getByText('42 ms')).toBeInTheDocument();
    expect(result.getByRole('rowheader', { name: 'content-type' })).toBeInTheDocument();
    expect(result.getByLabelText('Response body').textContent).toBe('{\n  "ok": true,\n  "echo": {\n    "title": "Hello"\n  }\n}');
    expect(app.api.calls('POST', /\/test$/)[0]!.body).toEqual({ method: 'POST', endpoint: '/echo', body: { title: 'Hello' } });
    expect(result.getByRole('link', { name: 'View in call history' })).toHaveAttribute('href', '/executions/exe-2');
  });

  it('refuses a body that is not JSON before calling', async () => {
    const app = renderApp('/integrations/int-1', withActions());
    const panel = within(await screen.findByRole('region', { name: 'Test a request' }));
    await app.user.selectOptions(panel.getByLabelText('Method'), 'PUT');
    await app.user.type(panel.getByLabelText('Body (JSON, optional)'), 'oops');
    await app.user.click(panel.getByRole('button', { name: 'Send test request' }));
    expect(panel.getByLabelText('Body (JSON, optional)')).toHaveAccessibleDescription(/Enter valid JSON/);
    expect(app.api.calls('POST', /\/test$/)).toHaveLength(0);
  });
});

describe('RunActionForm', () => {
  it('builds fields from the parameter definitions, checks required ones and sends typed values', async () => {
    const app = renderApp('/integrations/int-1', withActions());
    const form = within(await screen.findByRole('region', { name: 'Run an action' }));
    expect(form.getByLabelText('user_id (required)')).toHaveAccessibleDescription(/Whose posts — path · string/);
    expect(form.getByLabelText('limit')).toHaveAccessibleDescription(/default 10/);
    expect(form.getByLabelText('drafts').tagName).toBe('SELECT');

    await app.user.click(form.getByRole('button', { name: 'Run action' }));
    expect(form.getByLabelText('user_id (required)')).toHaveAccessibleDescription(/This parameter is required\./);
    expect(app.api.calls('POST', /^\/api\/execute$/)).toHaveLength(0);

    await app.user.type(form.getByLabelText('user_id (required)'), 'u 42');
    await app.user.type(form.getByLabelText('limit'), '5');
    await app.user.selectOptions(form.getByLabelText('drafts'), 'true');
    await app.user.click(form.getByRole('button', { name: 'Run action' }));
    await waitFor(() => expect(app.api.calls('POST', /^\/api\/execute$/)).toHaveLength(1));
    expect(app.api.calls('POST', /^\/api\/execute$/)[0]!.body).toEqual({
      provider: 'custom_int-1',
      action: 'list_posts',
      params: { user_id: 'u 42', limit: 5, drafts: true },
    });
    expect(await form.findByRole('region', { name: 'Action result' })).toBeInTheDocument();
  });

  it('switches actions and puts the server’s parameter error beside the parameter', async () => {
    const api = withActions();
    api.on('POST', /^\/api\/execute$/, () => ({
      status: 422,
      body: errorBody('validation_failed', 'Parameter problems.', [{ field: 'params.post', problem: 'Needs a title.' }]),
    }));
    const app = renderApp('/integrations/int-1', api);
    const form = within(await screen.findByRole('region', { name: 'Run an action' }));
    await app.user.selectOptions(form.getByLabelText('Action'), 'create_post');
    const post = form.getByLabelText('post (required)');
    expect(post.tagName).toBe('TEXTAREA');
    await app.user.click(post);
    await app.user.paste('{"body": "x"}');
    await app.user.click(form.getByRole('button', { name: 'Run action' }));
    await waitFor(() => expect(post).toHaveAccessibleDescription(/^Needs a title\./));
  });
});
