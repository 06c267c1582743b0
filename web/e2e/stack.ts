/**
 * The end-to-end stack: a real reVo server (`npm run -s revo -- serve`, offline model), the web app
 * built with `next build` against it and served by `next start`, and Debian's chromium driven by
 * playwright-core. Every process is started in its own process group and killed with it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, inheritedEnv } from './env';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = fileURLToPath(new URL('../..', import.meta.url));
const nextBin = createRequire(join(webDir, 'package.json')).resolve('next/dist/bin/next');

/** Where the end-to-end build goes, so it never replaces a developer's `.next`. */
export const E2E_DIST_DIR = '.next-e2e';
export const resultsDir = join(webDir, 'test-results');

/** Launch flags for Debian's chromium (see STACK.md); never `playwright install`. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium, or the one `REVO_CHROMIUM` names; `undefined` when there is none. */
export function findChromium(): string | undefined {
  const candidates = [chromiumPath, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => Boolean(path && existsSync(path)));
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

interface Running {
  name: string;
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

const running = new Set<Running>();
process.once('exit', () => {
  for (const p of running) if (p.child.pid) killGroup(p.child.pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function start(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Running {
  const child = spawn(command, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const entry = { name, child, log, exited };
  running.add(entry);
  void exited.then(() => running.delete(entry));
  return entry;
}

/** Stops a process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
async function stop(p: Running, graceMs = 5_000): Promise<void> {
  if (!p.child.pid || p.child.exitCode !== null || p.child.signalCode !== null) return;
  killGroup(p.child.pid, 'SIGTERM');
  const timer = setTimeout(() => p.child.pid && killGroup(p.child.pid, 'SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

const tail = (p: Running) => `--- ${p.name} ---\n${p.log.join('').slice(-4_000)}`;

/** Polls `url` until `ready(status)` or the process dies or `timeoutMs` passes. */
async function waitForHttp(p: Running, url: string, timeoutMs: number, ready = (status: number) => status === 200) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${p.name} exited before ${url} answered\n${tail(p)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (ready(response.status)) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms\n${tail(p)}`);
}

export interface Stack {
  /** `http://127.0.0.1:<port>/graphql` of the reVo server. */
  apiUrl: string;
  /** `http://127.0.0.1:<port>` of the web app. */
  webUrl: string;
  /** Stops the reVo server (the web app stays up). */
  stopServer(): Promise<void>;
  /** Starts the reVo server again on the same port (its in-memory state starts empty). */
  startServer(): Promise<void>;
  /** Everything the processes printed, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

/** Builds and starts everything; resolves once the server is ready and the app serves `/chat`. */
export async function startStack(): Promise<Stack> {
  const apiPort = await freePort();
  const webPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}/graphql`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'revo-web-e2e-'));
  const processes: Running[] = [];

  const serverEnv = {
    ...inheritedEnv(),
    REVO_OFFLINE: '1',
    REVO_ANALYTICS: '1',
    REVO_GRAPHIQL: '0',
    REVO_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
  };
  let server: Running | undefined;
  const startServer = async () => {
    server = start('revo serve', 'npm', ['run', '-s', 'revo', '--', 'serve'], rootDir, serverEnv);
    processes.push(server);
    await waitForHttp(server, `http://127.0.0.1:${apiPort}/readyz`, 180_000);
  };

  const webEnv = {
    ...inheritedEnv(),
    NEXT_PUBLIC_REVO_API: apiUrl,
    // Each stack builds into its own folder: e2e files run in parallel and must not share a build.
    REVO_WEB_DIST_DIR: `${E2E_DIST_DIR}-${webPort}`,
    // `npm run typecheck` checks the types; the test's build only needs to compile.
    REVO_WEB_SKIP_TYPECHECK: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const build = start('next build', process.execPath, [nextBin, 'build'], webDir, webEnv);
  processes.push(build);

  try {
    // The server starts while the app builds; the build bakes the server's URL into the bundle.
    const [code] = await Promise.all([build.exited, startServer()]);
    if (code !== 0) throw new Error(`next build failed (exit ${code})\n${tail(build)}`);
    const web = start(
      'next start',
      process.execPath,
      [nextBin, 'start', '--port', String(webPort), '--hostname', '127.0.0.1'],
      webDir,
      webEnv,
    );
    processes.push(web);
    await waitForHttp(web, `${webUrl}/chat`, 120_000);
  } catch (error) {
    await Promise.all(processes.map((p) => stop(p)));
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    apiUrl,
    webUrl,
    async stopServer() {
      if (server) await stop(server);
    },
    startServer,
    logs: () => processes.map(tail).join('\n'),
    async stop() {
      await Promise.all(processes.map((p) => stop(p)));
      await rm(dataDir, { recursive: true, force: true });
      await rm(join(webDir, webEnv.REVO_WEB_DIST_DIR), { recursive: true, force: true });
    },
  };
}

/** A GraphQL request to the stack's server, from the test (to check what the page shows). */
export async function graphql<T>(apiUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
