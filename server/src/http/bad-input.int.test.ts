import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  type Frame,
  type GqlError,
  type Reply,
  notify,
  rawSocket as openRawSocket,
  send as sendRaw,
  until,
  within,
} from '../testing/raw-clients';
import { startTestServer } from '../testing/test-server';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Socket = ReturnType<typeof rawSocket>;

const TOKEN = 'bad-input-battery-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const RUN = 'mutation { runWorkflow(task: "Write a function that adds two numbers") { runId } }';
const STATUS = 'subscription { agentStatus { agent state } }';
const SEND = 'mutation($i: SendMessageInput!) { sendMessage(input: $i) { runId } }';
const BY_STATUS = 'query($s: WorkflowStatus) { workflows(status: $s) { nodes { runId } } }';
/** Depth 50: `__type` (1), 48 × `ofType`, `name` (50). Only `__schema` is exempt from the limits. */
const DEEP = `{ __type(name: "Query") { ${'ofType { '.repeat(48)}name${' }'.repeat(48)} } }`;
/** 1,000 aliases in few tokens: 10 spreads of G, each 10 spreads of F, each 10 aliases. */
const TEN = Array.from({ length: 10 }, (_, i) => `a${i}: agents { id }`).join(' ');
const ALIASES = `{ ${'...G '.repeat(10)}} fragment G on Query { ${'...F '.repeat(10)}} fragment F on Query { ${TEN} }`;
const WRITTEN_OUT = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: agents { id }`).join(' ')} }`;
const TEN_MB = JSON.stringify({ query: `{ agents { id } } #${'x'.repeat(10 << 20)}` });
/** Every body, frame and close reason the servers sent; none may carry a stack trace. */
const seen: string[] = [];

const send = (url: string, init: Parameters<typeof sendRaw>[1] = {}) => sendRaw(url, init, (text) => seen.push(text));
const rawSocket = (server: Server, protocol?: string | null) =>
  openRawSocket(server.wsUrl, protocol, (text) => seen.push(text));
const JSON_TYPE = { 'content-type': 'application/json' };
const post = (server: Server, query: string, variables: object = {}, headers: object = {}) =>
  send(server.url, { headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ query, variables }) });
const get = (server: Server, path: string) => send(server.url.replace(/\/graphql$/, path), { method: 'GET' });
/** Status, code and message of the first error: what a client acts on. */
const failure = (reply: Reply) => {
  const error = reply.json.errors?.[0];
  return [reply.status, error?.extensions?.code, error?.message];
};
const dig = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce((at, key) => (at as Record<string, unknown> | null | undefined)?.[key], value);
const startConversation = async () =>
  dig((await post(open, 'mutation { startConversation { id } }')).json, 'data', 'startConversation', 'id') as string;

const messages = (frame: Frame) => (frame.payload as GqlError[]).map((e) => e.message);

/** A well-behaved client: a live `agentStatus` subscription opened before any bad input. */
function bystander(server: Server, token?: string) {
  const troubles: string[] = [];
  const states: string[] = [];
  const watchers = new Set<() => void>();
  const client: Client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (event) => troubles.push(`closed ${(event as { code?: number }).code}`) },
  });
  client.subscribe<{ agentStatus: { state: string } }>(
    { query: STATUS },
    {
      next: (result) => {
        states.push(result.data?.agentStatus.state ?? `errors ${JSON.stringify(result.errors)}`);
        notify(watchers);
      },
      error: (error) => troubles.push(`error ${String(error)}`),
      complete: () => troubles.push('complete'),
    },
  );
  return { server, client, states, watchers, troubles, headers: token ? AUTH : {} };
}
type Bystander = ReturnType<typeof bystander>;

/** Counts the agent-status listeners a server holds, to see subscriptions released. */
function statusListeners(server: Server) {
  const board = server.actorHost.statuses;
  const listen = board.listen.bind(board);
  const watchers = new Set<() => void>();
  const tracker = {
    live: 0,
    backTo: (count: number, ms?: number) =>
      until(`release to ${count} listeners`, () => tracker.live <= count, watchers, ms),
  };
  board.listen = (listener) => {
    tracker.live += 1;
    const stop = listen(listener);
    let stopped = false;
    return () => {
      if (!stopped) [stopped, tracker.live] = [true, tracker.live - 1];
      notify(watchers);
      return stop();
    };
  };
  return tracker;
}

let open: Server;
let locked: Server;
let watchers: Bystander[] = [];
let listeners: ReturnType<typeof statusListeners>;
const sockets: Socket[] = [];
const socketTo = (server: Server, protocol?: string | null) => {
  sockets.push(rawSocket(server, protocol));
  return sockets.at(-1) as Socket;
};

beforeAll(async () => {
  [open, locked] = await Promise.all([startTestServer(), startTestServer({ REVO_API_TOKEN: TOKEN })]);
  listeners = statusListeners(open);
  watchers = [bystander(open), bystander(locked, TOKEN)];
  for (const w of watchers) await until('initial agent statuses', () => w.states.length >= 9, w.watchers);
});
afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await Promise.all(watchers.map((w) => w.client.dispose()));
  await Promise.all([open?.close(), locked?.close()]);
});

/** The server answers, and the bystander's subscription delivers while a workflow runs. */
async function expectUnaffected({ server, client, states, watchers, troubles, headers }: Bystander) {
  expect((await get(server, '/healthz')).status).toBe(200);
  expect(dig((await post(server, '{ agents { id } }', {}, headers)).json, 'data', 'agents')).toHaveLength(9);
  const from = states.length;
  const runId = dig((await post(server, RUN, {}, headers)).json, 'data', 'runWorkflow', 'runId');
  expect(runId).toMatch(/^run-/);
  await until('a status change on the bystander', () => states.slice(from).includes('WORKING'), watchers);
  const feed = { query: 'subscription($id: ID!) { workflowEvents(runId: $id) { kind } }', variables: { id: runId } };
  const ended = new Promise((resolve, reject) =>
    client.subscribe(feed, { next() {}, error: reject, complete: () => resolve(0) }),
  );
  await within('end of the workflow feed', ended, 10_000);
  expect(troubles).toEqual([]);
}
const staysUp = () =>
  it('stays up, and well-behaved clients of both servers are unaffected', async () => {
    for (const watcher of watchers) await expectUnaffected(watcher);
  });

describe('documents that are not GraphQL or ask for what does not exist', () => {
  it('answers syntax errors with GRAPHQL_PARSE_FAILED and the place the document broke', async () => {
    for (const [query, says] of Object.entries({
      '{ agents { id ': 'Syntax Error: Expected Name, found <EOF>.',
      '}}}{{': 'Syntax Error: Unexpected "}".',
      '': 'Syntax Error: Unexpected <EOF>.',
      '{ agents(id: ) { id } }': 'Syntax Error: Unexpected ")".',
    })) {
      const reply = await post(open, query);
      expect(failure(reply)).toEqual([200, 'GRAPHQL_PARSE_FAILED', says]);
      expect(reply.json.errors?.[0]).toHaveProperty('locations');
    }
  });

  it('names unknown fields and arguments, suggests the right field, and asks for missing arguments', async () => {
    for (const [query, says] of Object.entries({
      '{ agents { nmae } }': 'Cannot query field "nmae" on type "Agent". Did you mean "name"?',
      '{ agents(limit: 1) { id } }': 'Unknown argument "limit" on field "Query.agents".',
      '{ agent { id } }': 'Field "agent" argument "id" of type "ID!" is required, but it was not provided.',
      'subscription { nope }': 'Cannot query field "nope" on type "Subscription".',
    })) {
      expect(failure(await post(open, query))).toEqual([200, 'GRAPHQL_VALIDATION_FAILED', says]);
    }
  });
  staysUp();
});

describe('documents too large or too expensive', () => {
  it('refuses a 10 MB body with 413 and closes that connection, with or without a content-length', async () => {
    for (const chunked of [false, true]) {
      const reply = await send(open.url, { headers: JSON_TYPE, body: TEN_MB, chunked });
      expect(failure(reply)).toEqual([413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than 1048576 bytes']);
      expect(reply.headers.connection).toBe('close');
    }
  });

  it('rejects depth 50, 1,000 aliases, too many tokens and too much cost before running anything', async () => {
    const agents = vi.spyOn(open.api, 'agents');
    for (const [query, says] of [
      [DEEP, 'Syntax Error: Query depth limit of 12 exceeded, found 50.'],
      [ALIASES, 'Syntax Error: Aliases limit of 30 exceeded, found 1000.'],
      [WRITTEN_OUT, 'Syntax Error: Token limit of 4000 exceeded.'], // written out, it runs out of tokens first
      [`{ ${'agents { id } '.repeat(1_000)}}`, 'Syntax Error: Token limit of 4000 exceeded.'],
      ['{ actorHistory(id: "a", last: 100000) { eventType } }', 'Syntax Error: Query Cost limit of 10000 exceeded'],
    ] as const) {
      const reply = await post(open, query);
      expect([reply.status, reply.json.errors?.length, reply.json.data ?? null]).toEqual([200, 1, null]);
      expect(reply.json.errors?.[0]?.message).toContain(says);
    }
    expect(agents).not.toHaveBeenCalled();
    agents.mockRestore();
  });
  staysUp();
});

describe('bad variables', () => {
  const WORKFLOW = 'query($id: ID!) { workflow(runId: $id) { runId } }';
  const PAGE = 'query($n: Int) { workflows(first: $n) { nodes { runId } } }';
  const unknownField = { i: { conversationId: 'c', text: 'hi', colour: 'red' } };
  const message = async (query: string, variables: object) =>
    (await post(open, query, variables)).json.errors?.[0]?.message;

  it('says what is wrong with a value of the wrong type, a missing one, or an enum value that does not exist', async () => {
    expect(await message(WORKFLOW, { id: { a: 1 } })).toContain('ID cannot represent value: { a: 1 }');
    const missing = 'Variable "$id" of required type "ID!" was not provided.';
    expect(failure(await post(open, WORKFLOW, {}))).toEqual([400, undefined, missing]);
    expect(await message(BY_STATUS, { s: 'NOPE' })).toContain('Value "NOPE" does not exist in "WorkflowStatus" enum.');
    expect(await message(PAGE, { n: 'ten' })).toContain('Int cannot represent non-integer value: "ten"');
    expect(await message(SEND, unknownField)).toContain('Field "colour" is not defined by type "SendMessageInput".');
  });

  it('names the variable in each of those messages', async () => {
    expect(await message(WORKFLOW, { id: { a: 1 } })).toContain('Variable "$id" got invalid value');
    expect(await message(BY_STATUS, { s: 'NOPE' })).toContain('Variable "$s" got invalid value "NOPE"');
    expect(await message(SEND, unknownField)).toContain('Variable "$i" got invalid value');
  });

  it('refuses a 200,001-character message with BAD_USER_INPUT and the limit in words', async () => {
    const reply = await post(open, SEND, {
      i: { conversationId: await startConversation(), text: 'x'.repeat(200_001) },
    });
    const says = 'the message is not valid: text: the message is longer than 100,000 characters';
    expect(failure(reply)).toEqual([200, 'BAD_USER_INPUT', says]);
  });
  staysUp();
});

describe('mutations and queries with bad input', () => {
  const PLAN = 'mutation($p: PlanInput!) { runWorkflow(task: "t", plan: $p) { runId } }';
  const step = (id: string, ...dependsOn: string[]) => ({ id, agent: 'code-generator', instruction: id, dependsOn });
  const plan = (...steps: object[]) => ({ p: { steps } });
  const count = async () => {
    const reply = await post(open, '{ workflows(first: 100) { nodes { runId } } }');
    return (dig(reply.json, 'data', 'workflows', 'nodes') as unknown[]).length;
  };

  it('answers with BAD_USER_INPUT or NOT_FOUND and a readable message, and runs nothing', async () => {
    const conversationId = await startConversation();
    const message = (input: object) => ({ i: { conversationId, text: 'hi', ...input } });
    const [BAD, NONE] = ['BAD_USER_INPUT', 'NOT_FOUND'];
    const before = await count();
    const cases: [string, string, string, object?][] = [
      [BAD, 'the message is not valid: text: the message is empty', SEND, message({ text: '   ' })],
      [BAD, 'unknown agent "nobody"; known agents: code-generator, debugger,', SEND, message({ agents: ['nobody'] })],
      [NONE, 'there is no conversation "nope"', SEND, message({ conversationId: 'nope' })],
      [BAD, 'the plan is not valid: the steps form a cycle', PLAN, plan(step('a', 'b'), step('b', 'a'))],
      [BAD, 'the plan is not valid: step "a" depends on unknown step "zz"', PLAN, plan(step('a', 'zz'))],
      [
        BAD,
        'give exactly one of runId (a planned workflow), templateId, or task',
        'mutation { runWorkflow { runId } }',
      ],
      [NONE, 'there is no workflow "nope"', 'mutation { cancelWorkflow(runId: "nope") { runId } }'],
      [BAD, '"garbage!!" is not a cursor this server issued', '{ workflows(after: "garbage!!") { nodes { runId } } }'],
      [
        BAD,
        '"eyJ4IjoxfQ" is not a cursor this server issued',
        '{ conversations(after: "eyJ4IjoxfQ") { nodes { id } } }',
      ],
      [BAD, 'first: Too big: expected number to be <=100', '{ workflows(first: 1000) { nodes { runId } } }'],
    ];
    for (const [code, says, query, variables] of cases) {
      const reply = await post(open, query, variables);
      expect([...failure(reply), reply.json.data]).toEqual([200, code, expect.stringContaining(says), null]);
    }
    expect(await count()).toBe(before);
  });

  it('says which field failed', async () => {
    const reply = await post(open, SEND, { i: { conversationId: 'nope', text: 'hi' } });
    expect(reply.json.errors?.[0]?.path).toEqual(['sendMessage']);
  });
  staysUp();
});

describe('HTTP methods, content types, request shapes and tokens', () => {
  const plain = { headers: { 'content-type': 'text/plain' }, body: '{ agents { id } }' };

  it('refuses a mutation over GET with 405, and methods other than GET and POST', async () => {
    const query = encodeURIComponent('mutation { startConversation { id } }');
    const viaGet = await send(`${open.url}?query=${query}`, { method: 'GET', headers: { accept: 'application/json' } });
    expect(failure(viaGet)).toEqual([405, 'BAD_REQUEST', 'Can only perform a mutation operation from a POST request.']);
    expect(viaGet.headers.allow).toBe('POST');
    const put = await send(open.url, { method: 'PUT', headers: JSON_TYPE, body: '{}' });
    expect(failure(put)).toEqual([405, 'BAD_REQUEST', 'GraphQL only supports GET and POST requests.']);
  });

  it('refuses a body that is not JSON with 415', async () => {
    expect((await send(open.url, plain)).status).toBe(415);
  });

  it('says which content type to send', async () => {
    expect(failure(await send(open.url, plain))[2]).toMatch(/content-type/i);
  });

  it('explains request bodies of the wrong shape with 400 BAD_REQUEST', async () => {
    for (const [body, says] of Object.entries({
      '{"query": ': 'POST body sent invalid JSON.',
      '{"query": 5}': 'Expected "query" param to be a string, but given number.',
      '[{"query": "{ agents { id } }"}]': 'Batching is not supported.',
      '{"query": "{ agents { id } }", "variables": "x"}':
        'Expected "variables" param to be empty or an object, but given string.',
      null: 'POST body is expected to be object but received null',
    })) {
      expect(failure(await send(open.url, { headers: JSON_TYPE, body }))).toEqual([400, 'BAD_REQUEST', says]);
    }
  });

  it('answers a missing or wrong token with 401, WWW-Authenticate and how to send it, while health stays open', async () => {
    const says = 'a valid API token is required: send "Authorization: Bearer <REVO_API_TOKEN>"';
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`]) {
      const reply = await post(locked, '{ agents { id } }', {}, authorization ? { authorization } : {});
      expect([...failure(reply), reply.headers['www-authenticate']]).toEqual([401, 'UNAUTHENTICATED', says, 'Bearer']);
    }
    expect((await get(locked, '/graphql?query={agents{id}}')).status).toBe(401);
    expect([(await get(locked, '/healthz')).status, (await get(locked, '/readyz')).status]).toEqual([200, 200]);
    expect((await post(locked, '{ agents { id } }', {}, AUTH)).status).toBe(200);
  });
  staysUp();
});

describe('WebSocket handshakes and frames', () => {
  it('closes 4403 Forbidden on connection_init without or with a wrong token, and acks the right one', async () => {
    for (const payload of [undefined, { authorization: 'Bearer wrong-token-0123456789' }, { token: 'nope' }]) {
      const socket = socketTo(locked);
      await socket.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
      expect(await socket.closed()).toEqual([4403, 'Forbidden']);
    }
    await socketTo(locked).acked(AUTH);
    await socketTo(locked).acked({ token: TOKEN });
  });

  it('closes 4400 with a reason on garbage, unknown or malformed frames', async () => {
    const frames = ['garbage{', Buffer.from([0xff, 0, 0x13]), { type: 'hello' }, { type: 'subscribe', id: 's' }];
    for (const frame of frames) {
      const socket = socketTo(open);
      await socket.acked();
      await socket.send(frame);
      expect(await socket.closed()).toEqual([4400, 'Invalid message received']);
    }
  });

  it('closes on protocol misuse with the protocol code and reason', async () => {
    const early = socketTo(open);
    await early.subscribe('s', '{ agents { id } }');
    expect(await early.closed()).toEqual([4401, 'Unauthorized']);
    const twice = socketTo(open);
    await twice.acked();
    await twice.send({ type: 'connection_init' });
    expect(await twice.closed()).toEqual([4429, 'Too many initialisation requests']);
    const duplicate = socketTo(open);
    await duplicate.acked();
    await duplicate.subscribe('same', STATUS);
    await duplicate.subscribe('same', STATUS);
    expect(await duplicate.closed()).toEqual([4409, 'Subscriber for same already exists']);
    expect(await socketTo(open, null).closed()).toEqual([4406, 'Subprotocol not acceptable']);
  });

  it('closes 1009 on a frame larger than the body limit, and 4408 a socket that never sends connection_init', async () => {
    const big = socketTo(open);
    await big.acked();
    await big.subscribe('big', `{ agents { id } } #${'x'.repeat(2 << 20)}`);
    expect((await big.closed())[0]).toBe(1009);
    const silent = socketTo(open);
    await silent.send({ type: 'ping' });
    expect(await silent.closed(6_000)).toEqual([4408, 'Connection initialisation timeout']);
  });
  staysUp();
});

describe('bad operations over WebSocket', () => {
  it('answers bad documents and variables with error frames and keeps serving the socket', async () => {
    const socket = socketTo(open);
    await socket.acked();
    const answer = (id: string) => socket.frame(`an answer to ${id}`, (f) => f.id === id);
    await socket.subscribe('syntax', '{ agents { id ');
    expect(messages(await answer('syntax'))).toEqual(['Syntax Error: Expected Name, found <EOF>.']);
    await socket.subscribe('field', '{ agents { nope } }');
    expect(messages(await answer('field'))).toEqual([
      'Cannot query field "nope" on type "Agent". Did you mean "name"?',
    ]);
    await socket.subscribe('tokens', `{ ${'agents { id } '.repeat(1_000)}}`);
    expect(messages(await answer('tokens'))).toEqual(['Syntax Error: Token limit of 4000 exceeded.']);
    await socket.subscribe('enum', BY_STATUS, { s: 'NOPE' });
    const enumError = dig(await answer('enum'), 'payload', 'errors', '0', 'message');
    expect(enumError).toContain('Value "NOPE" does not exist in "WorkflowStatus" enum.');
    await socket.subscribe('good', '{ agents { id } }');
    expect(dig(await answer('good'), 'payload', 'data', 'agents')).toHaveLength(9);
  });

  it('rejects depth 50 and 1,000 aliases over WebSocket with the limit in the message', async () => {
    for (const [query, says] of [
      [DEEP, 'Query depth limit of 12 exceeded, found 50.'],
      [ALIASES, 'Aliases limit of 30 exceeded, found 1000.'],
    ] as const) {
      const socket = socketTo(open);
      await socket.acked();
      await socket.subscribe('limit', query);
      const rejected = socket.frame('an error frame', (f) => f.id === 'limit').then((f) => messages(f).join());
      expect(await Promise.race([rejected, socket.closed().then(([, reason]) => reason)])).toContain(says);
    }
  });

  it('answers them with an error frame and keeps the socket', async () => {
    const socket = socketTo(open);
    await socket.acked();
    await socket.subscribe('deep', DEEP);
    const frame = await socket.frame('an error frame', (f) => f.id === 'deep');
    expect(messages(frame)).toEqual(['Syntax Error: Query depth limit of 12 exceeded, found 50.']);
  });
  staysUp();
});

describe('floods of subscriptions', () => {
  /** Sends `count` agentStatus subscriptions and waits for each one's first answer. */
  const flood = async (socket: Socket, count: number) => {
    await socket.acked();
    const ids = Array.from({ length: count }, (_, i) => `s${i}`);
    for (const id of ids) await socket.subscribe(id, STATUS);
    for (const id of ids) await socket.frame(`an answer to ${id}`, (f) => f.id === id);
    const errors = socket.frames.filter((f) => f.type === 'error');
    const rejected = errors.map((f) => f.id);
    return { accepted: ids.filter((id) => !rejected.includes(id)), rejected, errors };
  };

  it('refuses subscriptions past 100 with TOO_MANY_SUBSCRIPTIONS; the accepted ones still receive', async () => {
    const socket = socketTo(open);
    const { accepted, rejected, errors } = await flood(socket, 101);
    expect(rejected).toContain('s100');
    expect(accepted.length).toBe(100);
    for (const error of errors) {
      expect(dig(error, 'payload', '0', 'extensions', 'code')).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(messages(error)[0]).toMatch(/subscriptions \(the limit is 100\); open another connection or end some$/);
    }
    const from = socket.frames.length;
    await post(open, RUN);
    for (const id of accepted) {
      await socket.frame(`a status change on ${id}`, (f) => f.id === id && socket.frames.indexOf(f) >= from);
    }
  });

  it('accepts exactly 100 and refuses the 101st', async () => {
    const { accepted, rejected } = await flood(socketTo(open), 101);
    expect([accepted.length, rejected]).toEqual([100, ['s100']]);
  });

  it('releases every subscription of a socket when it closes', async () => {
    const before = listeners.live;
    const socket = socketTo(open);
    expect((await flood(socket, 50)).accepted).toHaveLength(50);
    expect(listeners.live).toBe(before + 50);
    socket.ws.close(1000, 'done');
    await listeners.backTo(before);
  });

  it('survives many sockets flooding at once: each is closed with its reason and releases what it held', async () => {
    const before = listeners.live;
    const expected = { garbage: 4400, duplicate: 4409, oversized: 1009, early: 4401 };
    const kinds = Object.keys(expected) as (keyof typeof expected)[];
    const closes = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const kind = kinds[i % kinds.length] as keyof typeof expected;
        const socket = socketTo(open);
        if (kind !== 'early') await socket.acked();
        for (let n = 0; n < 60; n++) await socket.subscribe(`s${n}`, STATUS);
        if (kind === 'garbage') await socket.send('}{ not json');
        if (kind === 'duplicate') await socket.subscribe('s0', STATUS);
        if (kind === 'oversized') await socket.send('x'.repeat(2 << 20));
        return [kind, (await socket.closed(10_000))[0]];
      }),
    );
    expect(closes).toEqual(closes.map(([kind]) => [kind, expected[kind as keyof typeof expected]]));
    await listeners.backTo(before);
  });

  it('ends an HTTP (SSE) subscription when its client goes away', async () => {
    const before = listeners.live;
    const abort = new AbortController();
    const response = await fetch(open.url, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: STATUS }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let text = ''; !text.includes('agentStatus'); ) text += new TextDecoder().decode((await reader.read()).value);
    expect(listeners.live).toBe(before + 1);
    abort.abort();
    await listeners.backTo(before, 2_000);
  });
  staysUp();
});

describe('unexpected errors', () => {
  it('reach clients masked over HTTP and WebSocket, with the stack only in the log', async () => {
    const agents = vi.spyOn(open.api, 'agents').mockImplementation(() => {
      throw new Error('secret detail from /srv/revo/internal.ts:12:3');
    });
    const reply = await post(open, '{ agents { id } }');
    const socket = socketTo(open);
    await socket.acked();
    await socket.subscribe('q', '{ agents { id } }');
    const frame = await socket.frame('a result', (f) => f.id === 'q');
    agents.mockRestore();
    const masked = [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    expect([reply.json.errors, dig(frame, 'payload', 'errors')]).toMatchObject([masked, masked]);
    expect(reply.text + JSON.stringify(frame)).not.toContain('secret');
    expect(open.logLines.some((line) => line.includes('secret detail') && /\n\s+at /.test(line))).toBe(true);
  });

  it('sent no stack trace in any body, frame or close reason of this whole battery', () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((text) => /\n\s+at |\bat .+:\d+:\d+|node_modules|"stack"/.test(text))).toEqual([]);
  });
});
