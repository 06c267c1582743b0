import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServerOptions {
  port: number;
  host: string;
  /** `/readyz` answers 200 while this is true, 503 otherwise. */
  ready: () => boolean;
  /** What `/status` reports (JSON): the role's counters. */
  status: () => unknown;
}

/**
 * The HTTP face of a process without the API (a worker, an ingester): `GET /healthz` (alive),
 * `GET /readyz` (doing its work) and `GET /status` (its counters, JSON), for probes and people.
 * Nothing else is served, so it needs no token.
 */
export async function startHealthServer(options: HealthServerOptions) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'only GET' });
    if (path === '/healthz') return send(200, { ok: true });
    if (path === '/readyz') return options.ready() ? send(200, { ready: true }) : send(503, { ready: false });
    if (path === '/status') return send(200, options.status());
    return send(404, { error: 'this process serves /healthz, /readyz and /status only (no API: REVO_ROLES)' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
