import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** `revo serve` running as a child process, as a deployment runs it. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  port: number;
  pid: number;
  /** Everything it printed on stderr so far (its log). */
  stderr(): string;
  /** Sends `signal` (`SIGKILL`: a crash) and resolves with how it ended. */
  kill(signal: NodeJS.Signals): Promise<ProcessExit>;
  /** Resolves with how it ended, when it ends by itself. */
  exited: Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcessOptions {
  /** How long start-up (restore included) may take before `/readyz` must answer 200. @default 30000 */
  readyWithinMs?: number;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
/** Settings of the parent that must not leak into the child: the test decides them all. */
const OWN_SETTINGS = /^(REVO_|OLLAMA_|REDIS_URL$|PORT$|HOST$)/;
const POLL_MS = 25;

// Killed on the way out should a test forget `kill()` (or die in a hook).
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port nobody listens on right now (it may be taken before the child binds it: callers retry). */
async function freePort(): Promise<number> {
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

class PortClashError extends Error {}

/**
 * Starts `revo serve` (`node --import tsx server/src/cli/main.ts serve`) on a free loopback port
 * with exactly `settings` as its reVo environment, and resolves once `/readyz` answers 200 (runs
 * restored); rejects with its log when it exits first or is not ready within the deadline.
 */
export async function startServerProcess(
  settings: Record<string, string>,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(settings, await freePort(), options.readyWithinMs ?? 30_000);
    } catch (error) {
      if (error instanceof PortClashError && attempt < 5) continue;
      throw error;
    }
  }
}

async function launch(settings: Record<string, string>, port: number, readyWithinMs: number): Promise<ServerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_SETTINGS.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
    cwd: root,
    env: { ...inherited, REVO_ANALYTICS: '0', ...settings, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  // A failed spawn emits 'error' (unhandled, it would throw): its reason goes to the log the failure shows.
  child.once('error', (error) => {
    log += `\n${String(error)}`;
  });
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`revo serve did not start:\n${log}`);
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  let ended: ProcessExit | undefined;
  void exited.then((exit) => {
    ended = exit;
  });
  for (;;) {
    if (ended) {
      const why = `revo serve exited (${ended.signal ?? ended.code}) before it was ready:\n${log}`;
      throw /EADDRINUSE/.test(log) ? new PortClashError(why) : new Error(why);
    }
    if (Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`revo serve was not ready within ${readyWithinMs} ms:\n${log}`);
    }
    const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { url: `${base}/graphql`, port, pid, stderr: () => log, kill, exited };
}
