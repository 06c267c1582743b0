import { request } from 'node:http';
import WebSocket from 'ws';

/** What a GraphQL reply holds, and one graphql-ws frame: what the raw clients below return. */
export type GqlError = { message: string; path?: string[]; extensions?: { code?: string } };
export type Json = { errors?: GqlError[]; data?: Record<string, unknown> | null };
export type Reply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
};
export type Frame = { id?: string; type: string; payload?: unknown };

/** Resolves with `promise`, or fails naming what did not happen within `ms`. */
export function within<T>(what: string, promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Resolves once `done()` holds; it is checked now and whenever a watcher is called. */
export function until(what: string, done: () => boolean, watchers: Set<() => void>, ms?: number) {
  const met = new Promise<void>((resolve) => {
    const check = () => {
      if (done()) watchers.delete(check) && resolve();
    };
    watchers.add(check);
    check();
  });
  return within(what, met, ms);
}
export const notify = (watchers: Set<() => void>) => {
  for (const watcher of [...watchers]) watcher();
};

/** node:http, so a request whose body the server refuses to read still gets its answer. */
export function send(
  url: string,
  init: { method?: string; headers?: object; body?: string; chunked?: boolean } = {},
  record: (text: string) => void = () => {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'POST', headers: { ...init.headers } });
    let answered = false;
    req.on('error', (error) => answered || reject(error));
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        record(text);
        let json: Json = {};
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    if (!init.chunked || !init.body) return void req.end(init.body);
    for (let at = 0; at < init.body.length; at += 1 << 20) req.write(init.body.slice(at, at + (1 << 20)));
    req.end();
  });
}
/** A graphql-ws socket driven by hand: every frame as sent, and the close code and reason. */
export function rawSocket(
  wsUrl: string,
  protocol: string | null = 'graphql-transport-ws',
  record: (text: string) => void = () => {},
) {
  const ws = protocol ? new WebSocket(wsUrl, protocol) : new WebSocket(wsUrl);
  const frames: Frame[] = [];
  const watchers = new Set<() => void>();
  let closedWith: { code: number; reason: string } | undefined;
  ws.on('error', () => {}); // a refused frame shows as the close code
  ws.on('message', (data: Buffer) => {
    record(data.toString());
    frames.push(JSON.parse(data.toString()) as Frame);
    notify(watchers);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      record(closedWith.reason);
      resolve(closedWith);
      notify(watchers);
    }),
  );
  const opened = new Promise((resolve) => ws.once('open', resolve));
  const socket = {
    ws,
    frames,
    send: async (message: unknown) => {
      await within('open socket', opened);
      ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
    },
    subscribe: (id: string, query: string, variables: object = {}) =>
      socket.send({ id, type: 'subscribe', payload: { query, variables } }),
    /** The first frame matching `test`; fails if the socket closes first. */
    frame: async (what: string, test: (frame: Frame) => boolean) => {
      await until(what, () => frames.some(test) || closedWith !== undefined, watchers);
      const found = frames.find(test);
      if (!found) throw new Error(`the socket closed (${closedWith?.code} ${closedWith?.reason}) before ${what}`);
      return found;
    },
    closed: async (ms?: number) => {
      const { code, reason } = await within('close', closed, ms);
      return [code, reason];
    },
    acked: async (payload?: object) => {
      await socket.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
      await socket.frame('connection_ack', (f) => f.type === 'connection_ack');
    },
  };
  return socket;
}
