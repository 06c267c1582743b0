import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startOllamaTestServer } from '../../testing/ollama-test-server';
import { probeOllama } from './ollama-probe';

describe('probeOllama', () => {
  it('lists the pulled models of a reachable Ollama', async () => {
    const server = await startOllamaTestServer({
      models: { 'deepseek-r1:8b': 'x', 'llama3.1:8b': 'y', 'llama3.2:3b': { reply: 'z', pulled: false } },
    });
    try {
      expect(await probeOllama(`${server.url}/`)).toEqual({
        reachable: true,
        models: ['deepseek-r1:8b', 'llama3.1:8b'],
      });
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/tags']);
    } finally {
      await server.close();
    }
  });

  it('reports unreachable, with the reason, when nothing listens', async () => {
    const server = await startOllamaTestServer();
    const url = server.url;
    await server.close();
    const probe = await probeOllama(url);
    expect(probe).toMatchObject({ reachable: false, models: [] });
    expect(probe.error).toMatch(/ECONNREFUSED/);
  });

  it('gives up after timeoutMs when the server never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      expect(await probeOllama(url, { timeoutMs: 100 })).toEqual({
        reachable: false,
        models: [],
        error: `no answer from ${url} within 100 ms`,
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports unreachable when something else answers the port', async () => {
    const other = createServer((_req, res) => res.writeHead(404).end('nope'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      expect(await probeOllama(url)).toMatchObject({
        reachable: false,
        error: `GET ${url}/api/tags answered HTTP 404`,
      });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
