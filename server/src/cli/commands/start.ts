import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../env';
import { startRevoServer } from '../../http/start-revo-server';
import type { CliIo } from '../cli-io';
import { modelsLine } from '../models-line';

const WEB_DIR = fileURLToPath(new URL('../../../../web/', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../../../node_modules/next/dist/bin/next', import.meta.url));
/** Which API URL the current web build was made for (Next inlines it into the bundle). */
const BUILT_FOR = join(WEB_DIR, '.next', 'revo-api-url');

/** Runs a child to its end, its output on our standard error; resolves with its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

/** Resolves once `url` answers, or rejects when `child` exits first or time runs out. */
async function answering(url: string, child: ChildProcess, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error('the web server stopped while starting; see the lines above');
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the web server did not answer at ${url} within ${withinMs / 1000} s`);
}

/**
 * `npm start`: the API server and the web app together, on embedded defaults. The web app is built
 * the first time (and again when the API's address changes, since Next inlines it), then served
 * with `next start`. Ctrl-C stops both; live runs are kept for the next start.
 */
export async function startCommand(env: Env, io: CliIo, signals: NodeJS.Process = process): Promise<number> {
  const webPort = env.WEB_PORT;
  const server = await startRevoServer(env, { log: io.err });
  const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
  const apiUrl = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/graphql`;
  let web: ChildProcess | undefined;
  let stopping = false;
  try {
    const childEnv = { ...process.env, NEXT_PUBLIC_REVO_API: apiUrl, NEXT_TELEMETRY_DISABLED: '1' };
    const built = existsSync(join(WEB_DIR, '.next', 'BUILD_ID')) && existsSync(BUILT_FOR);
    if (!built || readFileSync(BUILT_FOR, 'utf8') !== apiUrl) {
      io.err(`building the web app for ${apiUrl} (the first start takes a minute or two)...`);
      const code = await run(process.execPath, [NEXT_BIN, 'build'], childEnv, WEB_DIR);
      if (code !== 0) throw new Error(`the web app did not build (exit ${code}); see the lines above`);
      writeFileSync(BUILT_FOR, apiUrl);
    }
    web = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(webPort), '--hostname', host], {
      cwd: WEB_DIR,
      env: childEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const webUrl = `http://${host.includes(':') ? `[${host}]` : host}:${webPort}`;
    await answering(webUrl, web, 60_000);
    io.err('');
    io.err(`reVo is up: open ${webUrl}`);
    io.err(`  API and GraphiQL: ${apiUrl} (WebSocket ${server.wsUrl})`);
    io.err(`  ${modelsLine(server.runtime.status)}`);
    io.err(`  state: ${server.state}; analytics: ${server.analytics}`);
    io.err('  Ctrl-C stops both');
    await new Promise<void>((resolve) => {
      const stop = () => {
        stopping = true;
        resolve();
      };
      signals.once('SIGINT', stop);
      signals.once('SIGTERM', stop);
      web?.once('exit', (code) => {
        if (!stopping) io.err(`the web server exited (${code}); stopping`);
        resolve();
      });
    });
    return 0;
  } finally {
    stopping = true;
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web?.once('exit', resolve));
      web.kill('SIGTERM');
      await exited;
    }
    await server.close();
    io.err('stopped');
  }
}
