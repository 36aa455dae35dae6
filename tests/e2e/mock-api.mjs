// A small upstream REST API for the end-to-end tests: the integration under test points its base URL here.
// Run alone: `node tests/e2e/mock-api.mjs [port]` prints MOCK_API_URL=... and serves until killed.
// It never echoes a credential back; it only says whether the expected one arrived.

import crypto from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

/** The API key the e2e scenarios store as the integration's credential. */
export const MOCK_API_KEY = 'e2e-mock-key-7Qx9Lm2Vz8Rt4821';

/** The OAuth2 client the e2e scenarios register at the mock's authorization server (/oauth/authorize, /oauth/token). */
export const MOCK_OAUTH_CLIENT_ID = 'e2e-oauth-client';
export const MOCK_OAUTH_CLIENT_SECRET = 'e2eOauthSecret5Kp3Wd9Hq2';

function random() {
  return crypto.randomBytes(12).toString('hex');
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Mock-Api': 'global-connector-e2e' });
  res.end(text);
}

function authorized(req) {
  const url = new URL(req.url, 'http://mock');
  return req.headers['x-api-key'] === MOCK_API_KEY || url.searchParams.get('api_key') === MOCK_API_KEY || req.headers.authorization === `Bearer ${MOCK_API_KEY}`;
}

/** Starts the mock on host:port (port 0 picks a free one). Resolves to { url, port, requests, close() }. */
export function startMockApi({ host = '127.0.0.1', port = 0 } = {}) {
  const requests = [];
  // Authorization codes not yet exchanged (code -> what /oauth/authorize was asked) and access tokens issued.
  const codes = new Map();
  const tokens = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://mock');
      const raw = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, path: url.pathname, query: url.search });
      let match;
      if (req.method === 'GET' && url.pathname === '/health') {
        return send(res, 200, { ok: true });
      }
      if (req.method === 'GET' && (match = /^\/users\/([^/]+)$/.exec(url.pathname))) {
        const id = decodeURIComponent(match[1]);
        return send(res, 200, { id, name: `User ${id}`, authorized: authorized(req) });
      }
      if (req.method === 'GET' && (match = /^\/users\/([^/]+)\/posts$/.exec(url.pathname))) {
        const id = decodeURIComponent(match[1]);
        const limit = Number(url.searchParams.get('limit') ?? '3');
        const posts = Array.from({ length: Math.max(0, Math.min(limit, 10)) }, (_, i) => ({ id: i + 1, title: `Post ${i + 1} by ${id}` }));
        return send(res, 200, { user_id: id, limit, posts, authorized: authorized(req) });
      }
      if (['POST', 'PUT', 'PATCH'].includes(req.method) && url.pathname === '/echo') {
        let body = raw;
        try {
          body = raw ? JSON.parse(raw) : null;
        } catch {
          // Not JSON: echo the text.
        }
        return send(res, 200, { received: body, authorized: authorized(req) });
      }
      if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
        // Consents at once: straight back to redirect_uri with a one-time code bound to the PKCE challenge.
        const q = url.searchParams;
        const redirect = q.get('redirect_uri') ?? '';
        if (q.get('response_type') !== 'code' || q.get('client_id') !== MOCK_OAUTH_CLIENT_ID || !/^https?:\/\//.test(redirect) || !q.get('state') || !q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') {
          return send(res, 400, { error: 'invalid_request' });
        }
        const code = `code-${random()}`;
        codes.set(code, { challenge: q.get('code_challenge'), redirect });
        const target = new URL(redirect);
        target.searchParams.set('code', code);
        target.searchParams.set('state', q.get('state'));
        res.writeHead(302, { Location: target.href, 'Content-Length': 0 });
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        const form = new URLSearchParams(raw);
        const deny = (why) => send(res, 400, { error: 'invalid_grant', error_description: why });
        const basic = `Basic ${Buffer.from(`${MOCK_OAUTH_CLIENT_ID}:${MOCK_OAUTH_CLIENT_SECRET}`).toString('base64')}`;
        if (req.headers.authorization !== basic && form.get('client_id') !== MOCK_OAUTH_CLIENT_ID) {
          return deny('no client authentication');
        }
        if (form.get('grant_type') !== 'authorization_code') {
          return deny(`grant_type ${form.get('grant_type')}`);
        }
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!grant) {
          return deny('unknown or reused code');
        }
        if (form.get('redirect_uri') !== grant.redirect) {
          return deny('redirect_uri differs from the authorize request');
        }
        const verifier = form.get('code_verifier') ?? '';
        if (crypto.createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return deny('PKCE verifier does not match the challenge');
        }
        const access = `at-${random()}`;
        tokens.add(access);
        return send(res, 200, { access_token: access, refresh_token: `rt-${random()}`, expires_in: 3600, token_type: 'Bearer' });
      }
      if (req.method === 'GET' && url.pathname === '/oauth/me') {
        const bearer = /^Bearer (at-[0-9a-f]+)$/.exec(req.headers.authorization ?? '');
        if (!bearer || !tokens.has(bearer[1])) {
          return send(res, 401, { error: 'no valid access token' });
        }
        return send(res, 200, { user: 'oauth-e2e-user', token_ok: true });
      }
      if (url.pathname === '/fail') {
        return send(res, 500, { error: 'the mock fails on purpose' });
      }
      return send(res, 404, { error: `no mock route for ${req.method} ${url.pathname}` });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mock = await startMockApi({ port: Number(process.argv[2] ?? 0) });
  console.log(`MOCK_API_URL=${mock.url}`);
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
