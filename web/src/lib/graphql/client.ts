import { type Client, createClient } from 'graphql-ws';
import { type BackoffOptions, backoffDelay } from './backoff';
import type { Operation } from './operations';

/** A GraphQL error (with the server's `extensions.code`), a refused token, or an unreachable server. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(
    message: string,
    /** `BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT`, `UNAUTHENTICATED`, `NETWORK`, ... */
    readonly code: string,
  ) {
    super(message);
  }
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** The WebSocket as the UI shows it. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnect attempts since the socket was last up. */
  attempt: number;
  /** When the next attempt starts (ms since 1970) while waiting to reconnect. */
  nextRetryAt: number | null;
  /** Why the socket closed or failed for good. */
  reason: string | null;
  /** How many times the socket has connected: more than 1 means it came back after an outage. */
  connects: number;
}

export interface Sink<T> {
  next(data: T): void;
  error?(error: GraphQLRequestError): void;
  complete?(): void;
}

export interface RevoClient {
  readonly apiUrl: string;
  readonly wsUrl: string;
  /** A query or mutation over HTTP; rejects with `GraphQLRequestError`. */
  request<TData, TVariables>(
    operation: Operation<TData, TVariables>,
    variables: TVariables,
    options?: { signal?: AbortSignal },
  ): Promise<TData>;
  /**
   * A subscription over the WebSocket. It survives reconnects: after the socket comes back the
   * subscription is sent again, so the sink sees a fresh SNAPSHOT. Returns the unsubscribe.
   */
  subscribe<TData, TVariables>(
    operation: Operation<TData, TVariables>,
    variables: TVariables,
    sink: Sink<TData>,
  ): () => void;
  readonly connection: {
    get(): ConnectionState;
    /** Calls `listener` on every change; returns the unsubscribe (fits `useSyncExternalStore`). */
    subscribe(listener: () => void): () => void;
  };
  /** Opens a new socket (with the current token) and moves every live subscription onto it. */
  reconnect(): void;
  dispose(): void;
}

export interface RevoClientOptions {
  apiUrl: string;
  wsUrl: string;
  /** Read on every request and every connection, so a new token applies without a reload. */
  getToken: () => string | undefined;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
  /** For Node (tests): a WebSocket implementation such as `ws`. */
  webSocketImpl?: unknown;
}

interface FormattedError {
  message: string;
  extensions?: { code?: unknown };
}

/** The first error of a GraphQL response, a close event or anything thrown, as one error type. */
export function toRequestError(raw: unknown): GraphQLRequestError {
  if (raw instanceof GraphQLRequestError) return raw;
  if (Array.isArray(raw) && raw.length > 0) {
    const first = raw[0] as FormattedError;
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL';
    return new GraphQLRequestError(first.message ?? 'The request failed.', code);
  }
  const close = raw as { code?: unknown; reason?: unknown } | null;
  if (close && typeof close.code === 'number') {
    return close.code === 4403
      ? new GraphQLRequestError('The server refused the API token: set it with the key button.', 'UNAUTHENTICATED')
      : new GraphQLRequestError(`The connection closed (${close.code} ${String(close.reason ?? '')}).`, 'NETWORK');
  }
  return new GraphQLRequestError(raw instanceof Error ? raw.message : String(raw), 'INTERNAL');
}

const closeReason = (raw: unknown): string => toRequestError(raw).message;
const isRejected = (raw: unknown): boolean => (raw as { code?: unknown } | null)?.code === 4403;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The GraphQL client of the web app: `fetch` for queries and mutations, graphql-ws for subscriptions. */
export function createRevoClient(options: RevoClientOptions): RevoClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const listeners = new Set<() => void>();
  let state: ConnectionState = { status: 'connecting', attempt: 0, nextRetryAt: null, reason: null, connects: 0 };
  const setState = (patch: Partial<ConnectionState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };

  interface Entry {
    payload: { query: string; variables: Record<string, unknown>; operationName: string };
    sink: Sink<unknown>;
    stop: () => void;
  }
  const live = new Set<Entry>();
  let generation = 0;
  let everConnected = false;
  let disposed = false;

  function open(): Client {
    const mine = ++generation;
    const current = () => mine === generation && !disposed;
    return createClient({
      url: options.wsUrl,
      lazy: false,
      keepAlive: 15_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      connectionParams: () => {
        const token = options.getToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      shouldRetry: (raw) => !isRejected(raw),
      retryWait: async (retries) => {
        const delay = backoffDelay(retries, options.backoff);
        if (current()) setState({ status: 'reconnecting', attempt: retries + 1, nextRetryAt: Date.now() + delay });
        await sleep(delay);
      },
      onNonLazyError: (raw) => {
        if (current()) setState({ status: 'failed', nextRetryAt: null, reason: closeReason(raw) });
      },
      on: {
        connecting: (isRetry) => {
          if (current())
            setState({ status: everConnected || isRetry ? 'reconnecting' : 'connecting', nextRetryAt: null });
        },
        connected: () => {
          if (!current()) return;
          everConnected = true;
          setState({ status: 'connected', attempt: 0, nextRetryAt: null, reason: null, connects: state.connects + 1 });
        },
        closed: (raw) => {
          if (current() && state.status !== 'failed') setState({ status: 'reconnecting', reason: closeReason(raw) });
        },
      },
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
    });
  }

  let socket = open();

  function start(entry: Entry) {
    entry.stop = socket.subscribe(entry.payload, {
      next: (result) => {
        if (result.errors?.length) entry.sink.error?.(toRequestError(result.errors));
        else if (result.data) entry.sink.next(result.data);
      },
      error: (raw) => entry.sink.error?.(toRequestError(raw)),
      complete: () => {
        live.delete(entry);
        entry.sink.complete?.();
      },
    });
  }

  return {
    apiUrl: options.apiUrl,
    wsUrl: options.wsUrl,

    async request(operation, variables, requestOptions) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      };
      const token = options.getToken();
      if (token) headers.authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await doFetch(options.apiUrl, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: operation.document, variables, operationName: operation.name }),
          ...(requestOptions?.signal ? { signal: requestOptions.signal } : {}),
        });
      } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error;
        throw new GraphQLRequestError(`Cannot reach the reVo server at ${options.apiUrl}.`, 'NETWORK');
      }
      let body: { data?: unknown; errors?: FormattedError[] } | undefined;
      try {
        body = (await response.json()) as typeof body;
      } catch {
        body = undefined;
      }
      if (body?.errors?.length) throw toRequestError(body.errors);
      if (!response.ok || body?.data == null) {
        const code = response.status === 401 ? 'UNAUTHENTICATED' : 'HTTP';
        throw new GraphQLRequestError(`The server answered ${response.status} ${response.statusText}.`, code);
      }
      return body.data as never;
    },

    subscribe(operation, variables, sink) {
      const entry: Entry = {
        payload: {
          query: operation.document,
          variables: variables as Record<string, unknown>,
          operationName: operation.name,
        },
        sink: sink as Sink<unknown>,
        stop: () => {},
      };
      live.add(entry);
      start(entry);
      return () => {
        live.delete(entry);
        entry.stop();
      };
    },

    connection: {
      get: () => state,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },

    reconnect() {
      if (disposed) return;
      for (const entry of live) entry.stop();
      const old = socket;
      everConnected = false;
      setState({ status: 'connecting', attempt: 0, nextRetryAt: null, reason: null });
      socket = open();
      void old.dispose();
      for (const entry of live) start(entry);
    },

    dispose() {
      disposed = true;
      live.clear();
      void socket.dispose();
      setState({ status: 'closed', nextRetryAt: null });
      listeners.clear();
    },
  };
}
