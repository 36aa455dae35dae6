// A small upstream REST API for the end-to-end tests: the integration under test points its base URL here.
// Run alone: `node tests/e2e/mock-api.mjs [port]` prints MOCK_API_URL=... and serves until killed.
// It never echoes a credential back; it only says whether the expected one arrived.

import http from 'node:http';
import { pathToFileURL } from 'node:url';

/** The API key the e2e scenarios store as the integration's credential. */
export const MOCK_API_KEY = 'e2e-mock-key-7Qx9Lm2Vz8Rt4821';

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
