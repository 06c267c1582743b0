import type { Env } from '../../env';
import { startRevoServer } from '../../http/start-revo-server';
import type { CliIo } from '../cli-io';

/**
 * `revo serve`: the API server alone, until SIGINT or SIGTERM, then a graceful stop (live runs
 * persisted, sockets closed with a reason). Prints where it listens and what it runs on.
 */
export async function serveCommand(env: Env, io: CliIo, signals: NodeJS.Process = process): Promise<number> {
  const server = await startRevoServer(env, { log: io.err });
  const { status } = server.runtime;
  io.err(`reVo API on ${server.url} (GraphiQL: open it in a browser; WebSocket: ${server.wsUrl})`);
  io.err(
    env.REVO_API_TOKEN
      ? 'every request must carry "Authorization: Bearer <REVO_API_TOKEN>"'
      : `no REVO_API_TOKEN is set, so the server listens on ${server.host} only`,
  );
  io.err(`state: ${server.state}`);
  io.err(
    status.offlineOnly
      ? `models: the offline model only (${status.ollamaError ?? 'no Ollama'}); answers are labelled [offline model]`
      : `models: Ollama at ${status.ollamaBaseUrl} (${status.ollamaModels.length} models), offline model as fallback`,
  );
  if (server.restored.workflows + server.restored.conversations > 0) {
    io.err(`restored ${server.restored.workflows} workflows and ${server.restored.conversations} conversations`);
  }
  io.err(`health: http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}/healthz`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      io.err(`${signal}: shutting down (live runs are kept for the next start)`);
      resolve();
    };
    signals.once('SIGINT', () => stop('SIGINT'));
    signals.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.close();
  io.err('stopped');
  return 0;
}
