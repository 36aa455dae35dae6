// End-to-end scenarios of the web UI (issue 6, point 8) in Debian's chromium through playwright-core.
// Needs a running connector that serves the built UI and may call the mock API:
//   CONNECTOR_URL   the connector, e.g. http://127.0.0.1:8080 (fresh: no account yet)
//   MOCK_API_URL    the mock upstream (tests/e2e/mock-api.mjs), allowed by CONNECTOR_EGRESS_ALLOW
//   E2E_OUT         where screenshots go (default test-output/e2e)
//   SECOND_USER_EMAIL, SECOND_USER_PASSWORD  a second account; when unset and CONNECTOR_BIN is set, it is made
//                  after the owner's setup with `$CONNECTOR_BIN users add` (same CONNECTOR_* environment)
//   CHROMIUM        the browser (default /usr/bin/chromium)
// Prints one line per scenario and ends with "N passed, N failed"; exits 1 when any scenario did not pass.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOCK_API_KEY, MOCK_OAUTH_CLIENT_ID, MOCK_OAUTH_CLIENT_SECRET } from './mock-api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'web/package.json'));
const { chromium } = require('playwright-core');

const CONNECTOR_URL = (process.env.CONNECTOR_URL ?? '').replace(/\/+$/, '');
const MOCK_API_URL = (process.env.MOCK_API_URL ?? '').replace(/\/+$/, '');
const OUT = path.resolve(process.env.E2E_OUT ?? path.join(root, 'test-output/e2e'));
const OWNER = { name: 'Olive Owner', email: process.env.OWNER_EMAIL ?? 'owner@e2e.test', password: process.env.OWNER_PASSWORD ?? 'owner-e2e-password-1' };
const SECOND = { email: process.env.SECOND_USER_EMAIL ?? '', password: process.env.SECOND_USER_PASSWORD ?? '' };
const SCENARIO_TIMEOUT_MS = Number(process.env.E2E_SCENARIO_TIMEOUT_MS ?? 60000);
const MASK = `••••${MOCK_API_KEY.slice(-4)}`;

if (!CONNECTOR_URL || !MOCK_API_URL) {
  console.error('run.mjs: set CONNECTOR_URL and MOCK_API_URL (or use tests/e2e/harness.mjs, which starts both)');
  console.log('0 passed, 1 failed');
  process.exit(2);
}
fs.mkdirSync(OUT, { recursive: true });

class Failure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new Failure(message);
  }
}

/** Waits for a locator to be visible, failing with a message a person can act on. */
async function see(locator, what, timeout = 15000) {
  try {
    await locator.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Failure(`expected to see ${what}`);
  }
}

async function gone(locator, what, timeout = 15000) {
  try {
    await locator.waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Failure(`expected ${what} to go away`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const origin = new URL(CONNECTOR_URL).origin;
// The one outside page the browser may open: the mock's OAuth2 consent, which redirects straight back.
const mockAuthorize = `${new URL(MOCK_API_URL).origin}/oauth/authorize`;
const pageProblems = new WeakMap();

/** A fresh browser context (its own cookies) whose pages may only talk to the connector (and the mock's consent). */
async function newPage(viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport, baseURL: CONNECTOR_URL });
  const problems = [];
  await context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== origin && `${url.origin}${url.pathname}` !== mockAuthorize,
    (route) => {
      problems.push(`blocked a request to ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (401|404|409|422)/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  pageProblems.set(page, problems);
  return page;
}

async function signIn(page, user) {
  await page.goto('/sign-in');
  await see(page.getByRole('heading', { name: 'Sign in' }), 'the sign-in page');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await see(page.getByRole('heading', { name: 'Integrations' }), 'the integrations page after signing in');
}

async function noSecretsInBrowser(page) {
  const html = await page.content();
  check(!html.includes(MOCK_API_KEY), 'the stored API key appears in the page');
  check(!page.url().includes(MOCK_API_KEY), 'the stored API key appears in the URL');
  const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
  check(storage.local === 0 && storage.session === 0, `web storage is not empty: ${JSON.stringify(storage)}`);
}

const state = { owner: null, ownerIntegrationUrl: null };
const scenarios = [];
function scenario(name, needs, run) {
  scenarios.push({ name, needs, run });
}

scenario('setup-owner', [], async (t) => {
  const page = await newPage();
  state.owner = page;
  t.page = page;
  await page.goto('/');
  await see(page.getByRole('heading', { name: 'Set up Global Connector' }), 'the first-run setup page (is the connector fresh?)');
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await see(page.getByRole('heading', { name: 'Integrations' }), 'the integrations page after setup');
  await see(page.getByText('No integrations yet'), 'the empty state of the list');
});

scenario('sign-out-and-sign-in', ['setup-owner'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await see(page.getByRole('heading', { name: 'Sign in' }), 'the sign-in page after signing out');
  const me = await page.request.get('/api/me');
  check(me.status() === 401, `GET /api/me after sign-out answered ${me.status()}, not 401`);
  await signIn(page, OWNER);
  check(!page.url().includes(OWNER.password), 'the password appears in the URL');
});

scenario('create-integration-with-two-actions', ['sign-out-and-sign-in'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('button', { name: 'New integration' }).click();
  const dialog = page.getByRole('dialog', { name: 'New integration' });
  await see(dialog, 'the New integration dialog');
  await dialog.getByLabel('Display name').fill('E2E Mock API');
  check((await dialog.getByLabel('Name', { exact: true }).inputValue()) === 'e2e_mock_api', 'the name was not derived from the display name');
  await dialog.getByLabel('Base URL').fill(MOCK_API_URL);
  await dialog.getByLabel('Description').fill('The local mock upstream of the e2e tests.');
  await dialog.getByLabel('Auth type').selectOption('api_key');
  await dialog.getByLabel('Send the API key in').selectOption('header');
  await dialog.getByLabel('Header name', { exact: true }).fill('X-API-Key');

  await dialog.getByRole('button', { name: '+ Add action' }).click();
  const first = dialog.getByRole('group', { name: /^Action 1/ });
  await first.getByLabel('Action name').fill('Get user');
  await first.getByLabel('Endpoint').fill('/users/{user_id}');
  await first.getByRole('button', { name: /^Add parameter to Action 1/ }).click();
  const userId = first.getByRole('group', { name: /^Parameter 1/ });
  await userId.getByLabel('Parameter name').fill('user_id');
  await userId.getByLabel('In', { exact: true }).selectOption('path');
  await userId.getByLabel('Required').check();

  await dialog.getByRole('button', { name: '+ Add action' }).click();
  const second = dialog.getByRole('group', { name: /^Action 2/ });
  await second.getByLabel('Action name').fill('List posts');
  await second.getByLabel('Endpoint').fill('/users/{user_id}/posts');
  await second.getByRole('button', { name: /^Add parameter to Action 2/ }).click();
  await second.getByRole('button', { name: /^Add parameter to Action 2/ }).click();
  const p1 = second.getByRole('group', { name: /^Parameter 1/ });
  await p1.getByLabel('Parameter name').fill('user_id');
  await p1.getByLabel('In', { exact: true }).selectOption('path');
  await p1.getByLabel('Required').check();
  const p2 = second.getByRole('group', { name: /^Parameter 2/ });
  await p2.getByLabel('Parameter name').fill('limit');
  await p2.getByLabel('In', { exact: true }).selectOption('query');
  await p2.getByLabel('Type', { exact: true }).selectOption('integer');
  await p2.getByLabel('Default').fill('2');

  await dialog.getByRole('button', { name: 'Create integration' }).click();
  await gone(dialog, 'the dialog');
  const row = page.getByRole('row', { name: /E2E Mock API/ });
  await see(row, 'the new integration in the list, without a reload');
  const text = await row.innerText();
  check(/\b2\b/.test(text), `the row does not show 2 actions: ${text}`);
  check(text.includes(MOCK_API_URL), 'the row does not show the base URL');
  check(text.includes('API key'), 'the row does not show the auth type');
  check(text.includes('Not set'), 'the row does not show the credential status');
});

scenario('edit-integration', ['create-integration-with-two-actions'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('button', { name: 'Edit E2E Mock API' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit E2E Mock API' });
  await see(dialog, 'the Edit dialog');
  await dialog.getByLabel('Description').fill('Edited by the e2e test.');
  await dialog.getByRole('button', { name: 'Edit Action 2: List posts' }).click();
  await dialog.getByRole('group', { name: /^Action 2/ }).getByLabel('Action name').fill('List user posts');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await gone(dialog, 'the dialog');
  await page.getByRole('link', { name: 'E2E Mock API' }).click();
  await see(page.getByRole('heading', { name: 'E2E Mock API', level: 1 }), 'the integration page');
  await see(page.getByText('Edited by the e2e test.'), 'the edited description');
  await see(page.getByText('List user posts').first(), 'the renamed action');
  state.ownerIntegrationUrl = page.url();
});

scenario('store-credential-and-see-only-its-mask', ['edit-integration'], async (t) => {
  const page = state.owner;
  t.page = page;
  const panel = page.getByRole('region', { name: 'Credential' });
  const input = panel.getByLabel('API key', { exact: true });
  await see(input, 'the API key input');
  check((await input.getAttribute('type')) === 'password', 'the API key input is not masked');
  await input.fill(MOCK_API_KEY);
  await panel.getByRole('button', { name: 'Save credential' }).click();
  await see(panel.getByText(MASK), `the mask ${MASK}`);
  await see(panel.getByText('Valid'), 'the credential status');
  await noSecretsInBrowser(page);
  await page.reload();
  await see(page.getByRole('region', { name: 'Credential' }).getByText(MASK), 'the mask after a reload');
  await noSecretsInBrowser(page);
});

scenario('test-panel-shows-the-mock-200', ['store-credential-and-see-only-its-mask'], async (t) => {
  const page = state.owner;
  t.page = page;
  const panel = page.getByRole('region', { name: 'Test a request' });
  await panel.getByLabel('Method').selectOption('GET');
  await panel.getByLabel('Endpoint').fill('/users/42');
  await panel.getByRole('button', { name: 'Send test request' }).click();
  const result = panel.getByRole('region', { name: 'Test response' });
  await see(result, 'the test response', 30000);
  const code = (await result.getByTestId('status-code').innerText()).trim();
  check(code === '200', `the test call answered ${code}, not 200`);
  const body = await result.getByLabel('Response body').innerText();
  check(body.includes('"id": "42"') && body.includes('"name": "User 42"'), `unexpected body: ${body}`);
  check(!body.includes('"authorized"') || body.includes('"authorized": true'), 'the mock did not receive the stored API key');
  await result.getByText(/^Headers \(/).click();
  await noSecretsInBrowser(page);
});

scenario('run-an-action', ['test-panel-shows-the-mock-200'], async (t) => {
  const page = state.owner;
  t.page = page;
  const form = page.getByRole('region', { name: 'Run an action' });
  await form.getByLabel('Action', { exact: true }).selectOption('get_user');
  await form.getByLabel('user_id (required)').fill('7');
  await form.getByRole('button', { name: 'Run action' }).click();
  const result = form.getByRole('region', { name: 'Action result' });
  await see(result, 'the action result', 30000);
  const code = (await result.getByTestId('status-code').innerText()).trim();
  check(code === '200', `the action answered ${code}, not 200`);
  const body = await result.getByLabel('Response body').innerText();
  check(body.includes('"User 7"'), `unexpected body: ${body}`);
});

scenario('find-it-in-the-call-history', ['run-an-action'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call history' }).click();
  const table = page.getByRole('table', { name: 'Call history' });
  await see(table, 'the call history table');
  const rows = table.locator('tbody tr');
  check((await rows.count()) >= 2, `expected at least 2 calls, found ${await rows.count()}`);
  await page.getByLabel('Status').selectOption('success');
  await page.waitForURL(/status=success/);
  const integrationFilter = page.getByLabel('Integration', { exact: true });
  await integrationFilter.selectOption({ label: 'E2E Mock API' });
  await page.waitForURL(/integration_id=/);
  const executeRow = table.locator('tbody tr', { hasText: 'get_user' }).first();
  await see(executeRow, 'the get_user call in the history');
  await executeRow.getByRole('link', { name: /^Details of the GET call/ }).click();
  const details = page.getByLabel('Call details');
  await see(details, 'the call details');
  const text = await details.innerText();
  check(text.includes('HTTP 200'), `the details do not show HTTP 200: ${text}`);
  check(text.includes('/users/7'), `the details do not show the URL: ${text}`);
  check(!text.includes(MOCK_API_KEY), 'the call details show the API key');
});

scenario('fix-a-validation-error', ['sign-out-and-sign-in'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('button', { name: 'New integration' }).click();
  const dialog = page.getByRole('dialog', { name: 'New integration' });
  await dialog.getByLabel('Display name').fill('Broken');
  const name = dialog.getByLabel('Name', { exact: true });
  await name.fill('Broken Name!');
  await dialog.getByLabel('Base URL').fill('not a url');
  await dialog.getByRole('button', { name: 'Create integration' }).click();
  await page.waitForFunction(() => document.querySelector('[role="dialog"] input[aria-invalid="true"]') !== null, null, { timeout: 15000 });
  check((await name.getAttribute('aria-invalid')) === 'true', 'the name field is not marked invalid');
  const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  check(errorId, 'the name field has no error message beside it');
  const problem = await page.locator(`[id="${errorId}"]`).innerText();
  check(problem.trim().length > 0, 'the error message beside the name is empty');
  await page.screenshot({ path: path.join(OUT, `${t.prefix}-error-shown.png`) });
  await name.fill('broken_but_fixed');
  await dialog.getByLabel('Base URL').fill(MOCK_API_URL);
  await dialog.getByRole('button', { name: 'Create integration' }).click();
  await gone(dialog, 'the dialog after fixing the errors');
  await see(page.getByRole('link', { name: 'Broken', exact: true }), 'the fixed integration in the list');
});

scenario('narrow-screen-375px', ['create-integration-with-two-actions'], async (t) => {
  const page = await newPage({ width: 375, height: 812 });
  t.page = page;
  await signIn(page, OWNER);
  await see(page.getByRole('link', { name: 'E2E Mock API' }), 'the list at 375 px');
  const listWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(listWidth <= 375, `the list overflows horizontally at 375 px (${listWidth} px)`);
  await page.screenshot({ path: path.join(OUT, `${t.prefix}-list.png`), fullPage: true });
  await page.getByRole('button', { name: 'Edit E2E Mock API' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit E2E Mock API' });
  await see(dialog, 'the edit dialog at 375 px');
  await dialog.getByRole('button', { name: /^Edit Action 1/ }).click();
  const box = await dialog.boundingBox();
  check(box && box.width <= 375, `the dialog is wider than the screen (${box?.width})`);
  const overflow = await page.evaluate(() => {
    const dialogElement = document.querySelector('[role="dialog"]');
    return dialogElement ? dialogElement.scrollWidth - dialogElement.clientWidth : -1;
  });
  check(overflow <= 0, `the dialog content overflows sideways by ${overflow} px`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null);
  check(focused, 'keyboard focus left the dialog');
});

scenario('second-account-cannot-see-the-first', ['create-integration-with-two-actions'], async (t) => {
  if (!SECOND.email && process.env.CONNECTOR_BIN) {
    // Made only now: any account made before the owner's setup would end the first-run state.
    SECOND.email = 'second@e2e.test';
    SECOND.password = 'second-e2e-password-2';
    const added = spawnSync(process.env.CONNECTOR_BIN, ['users', 'add', '--email', SECOND.email, '--name', 'Sam Second'], {
      input: `${SECOND.password}\n`,
      encoding: 'utf8',
    });
    check(added.status === 0, `connector users add failed: ${added.stderr || added.stdout}`);
  }
  check(SECOND.email && SECOND.password, 'set SECOND_USER_EMAIL and SECOND_USER_PASSWORD, or CONNECTOR_BIN to make the second account');
  const page = await newPage();
  t.page = page;
  await signIn(page, SECOND);
  await see(page.getByText('No integrations yet'), "the second account's empty list");
  check((await page.getByRole('link', { name: 'E2E Mock API' }).count()) === 0, "the second account sees the owner's integration");
  if (state.ownerIntegrationUrl) {
    await page.goto(state.ownerIntegrationUrl);
    await see(page.getByText('Integration not found'), "a not-found page for the owner's integration");
  }
  await page.goto('/executions');
  await see(page.getByText('No calls yet'), "the second account's empty call history");
  await page.goto('/integrations');
  await see(page.getByText('No integrations yet'), "the second account's empty list");
});

scenario('delete-the-integration', ['create-integration-with-two-actions'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.goto('/integrations');
  await see(page.getByRole('link', { name: 'E2E Mock API', exact: true }), 'the integration to delete');
  const labels = ['E2E Mock API'];
  if ((await page.getByRole('link', { name: 'Broken', exact: true }).count()) > 0) {
    labels.push('Broken');
  }
  for (const label of labels) {
    await page.getByRole('button', { name: `Delete ${label}`, exact: true }).click();
    const confirm = page.getByRole('alertdialog');
    await see(confirm, 'the delete confirmation');
    await confirm.getByRole('button', { name: 'Delete integration' }).click();
    await gone(confirm, 'the confirmation');
    await gone(page.getByRole('link', { name: label, exact: true }), `${label} in the list`);
  }
  await see(page.getByText('No integrations yet'), 'the empty list after deleting');
  if (state.ownerIntegrationUrl) {
    const id = state.ownerIntegrationUrl.split('/').pop();
    const response = await page.request.get(`/api/custom-integrations/${id}`);
    check(response.status() === 404, `the deleted integration still answers ${response.status()}`);
  }
});

scenario('oauth2-connect-and-call', ['sign-out-and-sign-in'], async (t) => {
  const page = state.owner;
  t.page = page;
  const visited = [];
  // Every hop of a navigation, redirects included (framenavigated sees only where it ends).
  const onNavigate = (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      visited.push(request.url());
    }
  };
  page.on('request', onNavigate);
  try {
    await page.goto('/integrations');
    await page.getByRole('button', { name: 'New integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'New integration' });
    await see(dialog, 'the New integration dialog');
    await dialog.getByLabel('Display name').fill('E2E OAuth API');
    await dialog.getByLabel('Base URL').fill(MOCK_API_URL);
    await dialog.getByLabel('Auth type').selectOption('oauth2');
    await dialog.getByLabel('Grant type').selectOption('authorization_code');
    await dialog.getByLabel('Authorize URL').fill(`${MOCK_API_URL}/oauth/authorize`);
    await dialog.getByLabel('Token URL').fill(`${MOCK_API_URL}/oauth/token`);
    await dialog.getByLabel('Client ID').fill(MOCK_OAUTH_CLIENT_ID);
    await dialog.getByLabel('Client secret').fill(MOCK_OAUTH_CLIENT_SECRET);
    await dialog.getByLabel('Use PKCE (recommended)').check();
    await dialog.getByRole('button', { name: 'Create integration' }).click();
    await gone(dialog, 'the dialog');
    await page.getByRole('link', { name: 'E2E OAuth API', exact: true }).click();
    await see(page.getByRole('heading', { name: 'E2E OAuth API', level: 1 }), 'the OAuth integration page');
    const integrationPath = new URL(page.url()).pathname;
    check(/^\/integrations\/[^/]+$/.test(integrationPath), `unexpected integration page URL ${page.url()}`);

    const panel = page.getByRole('region', { name: 'Credential' });
    await see(panel.getByText(/Client secret stored/), 'the stored client secret, not yet connected');
    await see(panel.getByText('Not connected yet.', { exact: false }), 'the not-connected note');
    check(!(await page.content()).includes(MOCK_OAUTH_CLIENT_SECRET), 'the client secret appears in the page');

    await panel.getByRole('link', { name: 'Connect', exact: true }).click();
    await page.waitForURL((url) => url.pathname === integrationPath, { timeout: 30000 });
    await see(page.getByText('Connected', { exact: true }).first(), 'the Connected notification');
    const panelAfter = page.getByRole('region', { name: 'Credential' });
    const stored = panelAfter.getByRole('definition').filter({ hasText: /OAuth 2\.0 tokens/ });
    await see(stored, 'the stored OAuth 2.0 tokens');
    await see(panelAfter.getByText('Valid', { exact: true }), 'the credential status Valid');
    await see(panelAfter.getByRole('link', { name: 'Reconnect', exact: true }), 'the Reconnect button');
    const authorizeHop = visited.find((u) => u.startsWith(mockAuthorize));
    const callbackHop = visited.find((u) => u.startsWith(`${origin}/api/oauth/callback?`));
    const landing = visited.find((u) => u.startsWith(`${origin}${integrationPath}?`) && new URL(u).searchParams.get('connected') === '1');
    check(authorizeHop, `the browser never went to the mock's authorize page: ${visited.join(' -> ')}`);
    const asked = new URL(authorizeHop).searchParams;
    check(asked.get('redirect_uri') === `${origin}/api/oauth/callback`, `redirect_uri was ${asked.get('redirect_uri')}`);
    check(asked.get('code_challenge_method') === 'S256' && asked.get('code_challenge'), 'the authorize request had no S256 code_challenge');
    check(callbackHop, `the browser never came back to /api/oauth/callback: ${visited.join(' -> ')}`);
    check(landing, `the browser did not land on ${integrationPath}?connected=1: ${visited.join(' -> ')}`);
    await page.screenshot({ path: path.join(OUT, `${t.prefix}-connected.png`), fullPage: true });

    const test = page.getByRole('region', { name: 'Test a request' });
    await test.getByLabel('Method').selectOption('GET');
    await test.getByLabel('Endpoint').fill('/oauth/me');
    await test.getByRole('button', { name: 'Send test request' }).click();
    const result = test.getByRole('region', { name: 'Test response' });
    await see(result, 'the test response', 30000);
    const code = (await result.getByTestId('status-code').innerText()).trim();
    const body = await result.getByLabel('Response body').innerText();
    check(code === '200', `the call with the stored token answered ${code}, not 200: ${body}`);
    check(body.includes('"token_ok": true'), `unexpected body: ${body}`);
    const html = await page.content();
    check(!/\b[ar]t-[0-9a-f]{24}\b/.test(html), 'an OAuth token appears in the page');
    await noSecretsInBrowser(page);
  } finally {
    page.off('request', onNavigate);
  }
});

scenario('sign-out', ['sign-out-and-sign-in'], async (t) => {
  const page = state.owner;
  t.page = page;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await see(page.getByRole('heading', { name: 'Sign in' }), 'the sign-in page');
  await page.goto('/integrations');
  await see(page.getByRole('heading', { name: 'Sign in' }), 'the sign-in page for a signed-out visitor');
  await noSecretsInBrowser(page);
});

let passed = 0;
let failed = 0;
let skipped = 0;
const done = new Set();
for (const [index, s] of scenarios.entries()) {
  const prefix = `${String(index + 1).padStart(2, '0')}-${s.name}`;
  const missing = s.needs.filter((n) => !done.has(n));
  if (missing.length > 0) {
    skipped += 1;
    console.log(`skip - ${s.name} (needs ${missing.join(', ')})`);
    continue;
  }
  const t = { page: null, prefix };
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      s.run(t),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Failure(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
      }),
    ]);
    const problems = t.page ? pageProblems.get(t.page) ?? [] : [];
    check(problems.length === 0, problems.join('; '));
    passed += 1;
    done.add(s.name);
    console.log(`ok - ${s.name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL - ${s.name}: ${error instanceof Failure ? error.message : error.stack ?? error}`);
    const problems = t.page ? pageProblems.get(t.page) ?? [] : [];
    for (const problem of problems) {
      console.log(`    ${problem}`);
    }
  } finally {
    clearTimeout(timer);
    if (t.page) {
      pageProblems.get(t.page)?.splice(0);
      // A full-page shot of an open dialog stretches the viewport under it; then the visible screen is truer.
      const dialogOpen = (await t.page.locator('[role="dialog"], [role="alertdialog"]').count().catch(() => 0)) > 0;
      await t.page
        .screenshot({ path: path.join(OUT, `${prefix}.png`), fullPage: !dialogOpen })
        .catch((error) => console.log(`    (no screenshot: ${error.message.split('\n')[0]})`));
    }
  }
}

await browser.close();
console.log(`screenshots in ${OUT}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + skipped > 0 ? 1 : 0);
