import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { RevoYoga } from './create-yoga';

export interface ServerOptions {
  port: number;
  host: string;
  /** When set, HTTP requests and WebSocket `connection_init` must carry it. */
  token: string | undefined;
  maxBodyBytes: number;
  maxSubscriptionsPerSocket: number;
  /** Readiness: false while starting, restoring or shutting down. */
  ready: () => boolean;
  log?: (message: string) => void;
}

const UNPROTECTED = new Set(['/healthz', '/readyz']);

/** Compares tokens in constant time. */
function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const bearer = (value: unknown): string | undefined =>
  typeof value === 'string' ? /^Bearer\s+(.+)$/i.exec(value.trim())?.[1] : undefined;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/** Reads a request body up to `limit` bytes; `undefined` when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * One port for everything: GraphQL over HTTP (and GraphiQL) and graphql-ws on `/graphql`, plus
 * `/healthz` and `/readyz`. Bodies and WebSocket messages are size-limited; with a token, every
 * request and connection must carry it.
 */
export async function startHttpServer(yoga: RevoYoga, options: ServerOptions) {
  const log = options.log ?? (() => {});
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, graphqlError('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      const ready = options.ready();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    // CORS preflights carry no credentials by design; they reveal nothing and run nothing.
    if (options.token && req.method !== 'OPTIONS' && !UNPROTECTED.has(url.pathname)) {
      if (!tokenMatches(options.token, bearer(req.headers.authorization))) {
        return sendJson(
          res,
          401,
          graphqlError(
            'a valid API token is required: send "Authorization: Bearer <REVO_API_TOKEN>"',
            'UNAUTHENTICATED',
          ),
          { 'www-authenticate': 'Bearer' },
        );
      }
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found; GraphQL is at /graphql' });
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      body = await readBody(req, options.maxBodyBytes);
      if (!body) {
        res.setHeader('connection', 'close');
        return sendJson(
          res,
          413,
          graphqlError(`the request body is larger than ${options.maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE'),
        );
      }
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const response = await yoga.fetch(url.toString(), {
      method: req.method ?? 'GET',
      headers,
      ...(body ? { body } : {}),
      signal: controller.signal,
    });
    if (response.status === 415 || response.status === 406) {
      const type = req.headers[response.status === 415 ? 'content-type' : 'accept'] ?? '(none)';
      return sendJson(
        res,
        response.status,
        graphqlError(
          response.status === 415
            ? `unsupported content-type ${type}: send the operation as JSON with "Content-Type: application/json"`
            : `cannot answer with accept: ${type}; accept application/json (or text/event-stream for subscriptions)`,
          response.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'NOT_ACCEPTABLE',
        ),
      );
    }
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (!response.body) return void res.end();
    // pipeline cancels the body when the client goes away, which ends an SSE subscription
    await pipeline(Readable.from(response.body as unknown as AsyncIterable<Uint8Array>), res).catch(
      (error: unknown) => {
        if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
      },
    );
  }

  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: options.maxBodyBytes });
  const ws = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onConnect: (ctx) => {
        if (!options.token) return true;
        const params = ctx.connectionParams ?? {};
        const given = bearer(params.authorization ?? params.Authorization) ?? (params.token as string | undefined);
        return tokenMatches(options.token, typeof given === 'string' ? given : undefined);
      },
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws has already registered this id in ctx.subscriptions
        const active = Object.keys(ctx.subscriptions).filter((other) => other !== id).length;
        if (active >= options.maxSubscriptionsPerSocket) {
          return [
            new GraphQLError(
              `this connection already has ${active} subscriptions (the limit is ${options.maxSubscriptionsPerSocket}); open another connection or end some`,
              { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
            ),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document);
        } catch (error) {
          // graphql-armor's depth, alias and cost rules throw rather than report
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        if (errors.length > 0) return [...errors];
        return {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } as Enveloped,
        };
      },
    },
    wss,
  );
  // graphql-ws reports socket errors with console.error and a stack; an oversized frame (1009) is
  // bad input from a client, not a fault of the server
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => log(`websocket closed: ${error.message}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    server,
    port: address.port,
    url: `${base}/graphql`,
    wsUrl: `${base.replace('http', 'ws')}/graphql`,
    /** Stops accepting, closes every WebSocket with "going away", waits for requests to end. */
    async close() {
      await ws.dispose();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Enveloped {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}
type OperationResult = ReturnType<NonNullable<ServerOptionsOf['execute']>>;
type ServerOptionsOf = Parameters<typeof useServer>[0];

export type HttpServer = Awaited<ReturnType<typeof startHttpServer>>;
