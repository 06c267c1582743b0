import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** A redis-server started for tests; `stop()` kills it, waits for its exit and deletes its data dir. */
export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The redis-server process itself (spawned without a shell). */
  pid: number;
  stop(): Promise<void>;
}

/** What to tell someone whose machine lacks redis-server. */
export const MISSING_REDIS = 'redis-server is not installed; apt-get install -y redis-server';

const READY = 'Ready to accept connections';
const START_DEADLINE_MS = 10_000;
const STOP_DEADLINE_MS = 5_000;

// Killed on the way out should a test file forget `stop()` (or die in a hook).
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The path of the redis-server binary on PATH, or undefined when it is not installed. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A port nobody listens on right now (it may be taken again before we bind it: callers retry). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read a free port');
  return address.port;
}

class PortClashError extends Error {}

/** Resolves when the server says it is ready; rejects with its output when it exits first. */
function untilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const deadline = setTimeout(
      () => finish(new Error(`redis-server not ready after ${START_DEADLINE_MS} ms:\n${output}`)),
      START_DEADLINE_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY)) finish();
    };
    const onExit = (code: number | null, signal: string | null) => {
      const why = `redis-server exited (${signal ?? code}) before it was ready:\n${output}`;
      finish(/address already in use/i.test(output) ? new PortClashError(why) : new Error(why));
    };
    const onError = (error: Error) => finish(error);
    function finish(error?: Error) {
      clearTimeout(deadline);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
  await exited;
  clearTimeout(escalate);
}

/**
 * Starts a throwaway redis-server on a free local port (or on `wanted`, to stand in for one that
 * stopped), with no persistence, and waits until it is ready.
 */
export async function startRedisServer(wanted?: number): Promise<RedisTestServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error(MISSING_REDIS);
  for (let attempt = 1; ; attempt++) {
    const port = wanted ?? (await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'revo-redis-'));
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    try {
      await untilReady(child);
    } catch (error) {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
      if (error instanceof PortClashError && wanted === undefined && attempt < 5) continue;
      throw error;
    }
    // Keep draining its log so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    const pid = child.pid;
    if (pid === undefined) throw new Error('redis-server started without a pid');
    let stopped: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid,
      stop() {
        stopped ??= kill(child).then(() => rmSync(dir, { recursive: true, force: true }));
        return stopped;
      },
    };
  }
}

/**
 * What a test file needing Redis does: `run` when redis-server is installed, else `skip`, or
 * `fail` when `REVO_REQUIRE_SERVICES=1` says missing services are an error (as in CI).
 */
export function redisOrSkip(
  requireServices = process.env.REVO_REQUIRE_SERVICES === '1',
  installed = findRedisServer() !== undefined,
): 'run' | 'skip' | 'fail' {
  if (installed) return 'run';
  return requireServices ? 'fail' : 'skip';
}

/**
 * `describe` with one redis-server for the whole block, started before its tests and stopped after
 * them; skips (or fails, see `redisOrSkip`) when redis-server is not installed.
 */
export function describeWithRedis(name: string, body: (server: () => RedisTestServer) => void): void {
  const mode = redisOrSkip();
  if (mode === 'fail') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(MISSING_REDIS);
      });
    });
    return;
  }
  (mode === 'skip' ? describe.skip : describe)(name, () => {
    let server: RedisTestServer | undefined;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server?.stop());
    body(() => {
      if (!server) throw new Error('redis-server is not running (did beforeAll fail?)');
      return server;
    });
  });
}
