// Starts everything the e2e scenarios need, runs them, and stops it all: the mock API on a free port, a fresh
// `connector serve` (temporary data directory, port 0, the built UI, egress allowed to the mock only). Then runs
// run.mjs with HOME in a temporary directory; it makes the second account with `connector users add` itself.
//   CONNECTOR_BIN  the connector binary (default: build-test/connector, else build/connector)
//   E2E_OUT        screenshots (default test-output/e2e)
// Exit code and closing line are run.mjs's.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockApi } from './mock-api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const candidates = [process.env.CONNECTOR_BIN, path.join(root, 'build-test/connector'), path.join(root, 'build/connector')].filter(Boolean);
const connectorBin = candidates.find((file) => fs.existsSync(file));
const webDir = process.env.CONNECTOR_WEB_DIR ?? path.join(root, 'web/dist');

function fail(message) {
  console.error(`harness: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (!connectorBin) {
  fail(`no connector binary (looked at ${candidates.join(', ')}); set CONNECTOR_BIN`);
}
if (!fs.existsSync(path.join(webDir, 'index.html'))) {
  fail(`no built UI at ${webDir}; run \`npm run build\` in web/`);
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'gc-e2e-'));
const home = path.join(temp, 'home');
fs.mkdirSync(home);
const mock = await startMockApi();
const portFile = path.join(temp, 'port');
const connectorEnv = {
  ...process.env,
  CONNECTOR_DATA_DIR: path.join(temp, 'data'),
  CONNECTOR_LISTEN: '127.0.0.1:0',
  CONNECTOR_PORT_FILE: portFile,
  CONNECTOR_WEB_DIR: webDir,
  CONNECTOR_EGRESS_ALLOW: `127.0.0.1:${mock.port}`,
  CONNECTOR_LOG_LEVEL: process.env.CONNECTOR_LOG_LEVEL ?? 'warn',
  CONNECTOR_ENV_FILE: path.join(temp, 'no.env'),
};
delete connectorEnv.CONNECTOR_DATABASE_URL;
fs.mkdirSync(connectorEnv.CONNECTOR_DATA_DIR);

const log = fs.openSync(path.join(temp, 'connector.log'), 'a');
const server = spawn(connectorBin, ['serve'], { env: connectorEnv, stdio: ['ignore', log, log] });
let serverExited = false;
server.on('exit', () => {
  serverExited = true;
});

async function stopAll() {
  if (!serverExited) {
    server.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.kill('SIGKILL');
        resolve();
      }, 5000);
      server.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  await mock.close();
}

async function waitForConnector() {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (serverExited) {
      throw new Error('connector exited at start');
    }
    const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (port) {
      const url = `http://127.0.0.1:${port}`;
      try {
        const response = await fetch(`${url}/health`);
        if (response.ok) {
          return url;
        }
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('connector did not answer /health within 20 s');
}

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let code = 1;
try {
  const connectorUrl = await waitForConnector();
  code = await run(process.execPath, [path.join(here, 'run.mjs')], {
    env: {
      ...connectorEnv,
      HOME: home,
      CONNECTOR_BIN: connectorBin,
      CONNECTOR_URL: connectorUrl,
      MOCK_API_URL: mock.url,
      E2E_OUT: process.env.E2E_OUT ?? path.join(root, 'test-output/e2e'),
    },
    stdio: 'inherit',
  });
} catch (error) {
  console.error(`harness: ${error.message}`);
  console.error(fs.readFileSync(path.join(temp, 'connector.log'), 'utf8').slice(-4000));
  console.log('0 passed, 1 failed');
} finally {
  await stopAll();
  fs.closeSync(log);
  if (code === 0) {
    fs.rmSync(temp, { recursive: true, force: true });
  } else {
    console.error(`harness: connector log and data kept in ${temp}`);
  }
}
process.exit(code);
