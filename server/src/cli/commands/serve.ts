import type { Env } from '../../env';
import { startBackgroundProcess, startRevoServer } from '../../http/start-revo-server';
import { modelsLine } from '../models-line';
import type { CliIo } from '../cli-io';

/**
 * `revo serve`: the API server alone, until SIGINT or SIGTERM, then a graceful stop (live runs
 * persisted, sockets closed with a reason). Prints where it listens and what it runs on.
 */
export async function serveCommand(env: Env, io: CliIo, signals: NodeJS.Process = process): Promise<number> {
  if (!env.REVO_ROLES.includes('server')) return serveBackground(env, io, signals);
  const server = await startRevoServer(env, { log: io.err });
  io.err(`replica ${server.replicaId}: ${env.REVO_ROLES.join(', ')}`);
  io.err(`reVo API on ${server.url} (GraphiQL: open it in a browser; WebSocket: ${server.wsUrl})`);
  io.err(
    env.REVO_API_TOKEN
      ? 'every request must carry "Authorization: Bearer <REVO_API_TOKEN>"'
      : `no REVO_API_TOKEN is set, so the server listens on ${server.host} only`,
  );
  io.err(`state: ${server.state}`);
  io.err(modelsLine(server.runtime.status));
  if (server.restored.workflows + server.restored.conversations > 0) {
    io.err(`restored ${server.restored.workflows} workflows and ${server.restored.conversations} conversations`);
  }
  io.err(`analytics: ${server.analytics}`);
  io.err(`health: http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}/healthz`);
  await signalled(io, signals, 'live runs are kept for the next start or another replica');
  await server.close();
  io.err('stopped');
  return 0;
}

/** A worker and/or an ingester without the API, until SIGINT or SIGTERM; the work in hand is finished. */
async function serveBackground(env: Env, io: CliIo, signals: NodeJS.Process): Promise<number> {
  const background = await startBackgroundProcess(env, { log: io.err });
  io.err(`replica ${background.replicaId}: ${env.REVO_ROLES.join(', ')} (no API here)`);
  io.err(`state: ${background.state}`);
  // A worker makes the model calls, so it says which models those are, as a server does.
  if (background.runtime) io.err(modelsLine(background.runtime.status));
  if (env.REVO_ROLES.includes('ingester')) io.err(`analytics: ${background.analytics}`);
  io.err(`health: ${background.url}/healthz, counters: ${background.url}/status`);
  await signalled(io, signals, 'calls in hand are finished, the rest wait in Redis');
  await background.close();
  io.err('stopped');
  return 0;
}

function signalled(io: CliIo, signals: NodeJS.Process, kept: string) {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`${signal}: shutting down (${kept})`);
      resolve();
    };
    signals.once('SIGINT', () => stop('SIGINT'));
    signals.once('SIGTERM', () => stop('SIGTERM'));
  });
}
