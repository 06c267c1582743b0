import { afterEach, describe, expect, it } from 'vitest';
import { type RevoClient, createRevoClient, toRequestError } from './client';
import { ModelsQuery, SendMessageMutation } from './operations';

/** A socket that never opens: these tests are about HTTP. */
class SilentSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = 0;
  close() {}
  send() {}
}

const clients: RevoClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

function clientWith(respond: (init: RequestInit) => Response | Promise<Response>, token?: string) {
  const calls: RequestInit[] = [];
  const client = createRevoClient({
    apiUrl: 'http://revo.test/graphql',
    wsUrl: 'ws://revo.test/graphql',
    getToken: () => token,
    webSocketImpl: SilentSocket,
    fetch: async (_url, init) => {
      calls.push(init ?? {});
      return respond(init ?? {});
    },
  });
  clients.push(client);
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createRevoClient().request', () => {
  it('posts the operation with its name and variables, and the bearer token when there is one', async () => {
    const { client, calls } = clientWith(
      () => json({ data: { models: { offlineOnly: true } } }),
      'secret-token-1234567',
    );
    const data = await client.request(ModelsQuery, {});
    expect(data.models.offlineOnly).toBe(true);
    const [call] = calls;
    expect(JSON.parse(String(call?.body))).toMatchObject({ operationName: 'Models', variables: {} });
    const headers = (call?.headers ?? {}) as Record<string, string>;
    expect(headers.authorization).toBe('Bearer secret-token-1234567');
  });

  it('rejects with the server error and its code', async () => {
    const { client } = clientWith(() =>
      json({ errors: [{ message: 'the message is empty', extensions: { code: 'BAD_USER_INPUT' } }] }),
    );
    const error = await client
      .request(SendMessageMutation, { input: { conversationId: 'c', text: ' ' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'GraphQLRequestError',
      code: 'BAD_USER_INPUT',
      message: 'the message is empty',
    });
  });

  it('says the server cannot be reached when fetch fails', async () => {
    const { client } = clientWith(() => {
      throw new TypeError('fetch failed');
    });
    await expect(client.request(ModelsQuery, {})).rejects.toMatchObject({
      code: 'NETWORK',
      message: 'Cannot reach the reVo server at http://revo.test/graphql.',
    });
  });

  it('names a refused token', async () => {
    const { client } = clientWith(() => new Response('nope', { status: 401, statusText: 'Unauthorized' }));
    await expect(client.request(ModelsQuery, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('toRequestError', () => {
  it('reads close events: a refused token is not a network blip', () => {
    expect(toRequestError({ code: 4403, reason: 'Forbidden' }).code).toBe('UNAUTHENTICATED');
    expect(toRequestError({ code: 1006, reason: '' }).code).toBe('NETWORK');
    expect(toRequestError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });
});

describe('createRevoClient().connection', () => {
  it('starts connecting and reports that it is closed once disposed', () => {
    const { client } = clientWith(() => json({ data: {} }));
    const seen: string[] = [];
    client.connection.subscribe(() => seen.push(client.connection.get().status));
    expect(client.connection.get()).toMatchObject({ status: 'connecting', connects: 0 });
    client.dispose();
    expect(seen).toContain('closed');
  });
});
