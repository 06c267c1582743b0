import { type Env, loadEnv } from '../env';
import { startRevoServer } from '../http/start-revo-server';
import type { RuntimeOverrides } from '../runtime/create-runtime';

/**
 * A real reVo server for tests: offline model, memory state unless `REDIS_URL` is given, a free
 * loopback port, GraphQL at `url`. Close it in `afterAll`.
 */
export async function startTestServer(settings: Record<string, string> = {}, overrides: RuntimeOverrides = {}) {
  const env: Env = loadEnv({ REVO_OFFLINE: '1', REVO_ANALYTICS: '0', PORT: '0', ...settings });
  const lines: string[] = [];
  const server = await startRevoServer(env, { ...overrides, log: (line) => lines.push(line) });
  return { ...server, logLines: lines };
}

/** POSTs a GraphQL operation to `url` and returns the parsed response with its HTTP status. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, ...body };
}
