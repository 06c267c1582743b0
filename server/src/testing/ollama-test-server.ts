import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The body of `POST /api/chat` as the `ollama` js client (used by ChatOllama) sends it. */
export interface OllamaChatRequestBody {
  model: string;
  messages: { role: string; content: string; [key: string]: unknown }[];
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
  keep_alive?: unknown;
  think?: boolean;
  tools?: unknown;
}

/** How a scripted model misbehaves instead of answering. */
export type OllamaFailure =
  /** HTTP 500 with Ollama's `{"error": ...}` body. */
  | { kind: 'http-500'; message?: string }
  /** HTTP 404 `model "x" not found, try pulling it first`, as for a model never pulled. */
  | { kind: 'not-found' }
  /** Sends `afterPieces` pieces (0: not even the headers), then waits until the client goes away. */
  | { kind: 'hang'; afterPieces?: number }
  /** Sends `afterPieces` pieces, a line that is not JSON, then ends the body without a `done` line. */
  | { kind: 'malformed'; afterPieces?: number }
  /** Sends `afterPieces` pieces, then an `{"error": ...}` line as Ollama does when a runner dies. */
  | { kind: 'stream-error'; message?: string; afterPieces?: number };

/** What one model does when asked. */
export interface OllamaModelScript {
  /** The reply text, or a function of the request body. @default '' */
  reply?: string | ((body: OllamaChatRequestBody) => string);
  /**
   * Reasoning sent before the reply in `message.thinking`, as Ollama (0.12.5 and later) does for
   * thinking models unless the request says `think: false`.
   */
  thinking?: string;
  /** Characters per streamed piece (Ollama sends about one token per line). @default 4 */
  pieceChars?: number;
  /** Milliseconds between streamed pieces. @default 0 */
  delayMs?: number;
  failure?: OllamaFailure;
  /** Counts for the final line; `'omit'` leaves them out (Ollama does when the prompt is cached). */
  usage?: { promptEvalCount?: number; evalCount?: number } | 'omit';
  /** Listed by `/api/tags` and servable; `false` answers chat with 404 until `/api/pull`. @default true */
  pulled?: boolean;
}

/** One request the server saw. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body, `undefined` when there was none. */
  body: unknown;
  /** The request's headers (names in lower case). */
  headers: Record<string, string | string[] | undefined>;
  /** `completed` when the server ended the response, `aborted` when the client closed it first. */
  outcome: Promise<'completed' | 'aborted'>;
}

export interface OllamaTestServerOptions {
  models?: Record<string, OllamaModelScript | string>;
  /** @default '0.12.6' */
  version?: string;
}

/** A running fake Ollama. */
export interface OllamaTestServer {
  /** `http://127.0.0.1:<port>`, to use as the Ollama base URL. */
  url: string;
  requests: RecordedRequest[];
  /** Bodies of the `/api/chat` requests, in arrival order. */
  chatRequests(): OllamaChatRequestBody[];
  /** Sets (or replaces) what `model` does. */
  script(model: string, script: OllamaModelScript | string): void;
  /** The first request, past or future, that matches. */
  waitForRequest(match?: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Stops listening and drops every open connection, hanging ones included. */
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1 (free port) speaking the part of Ollama's HTTP API that
 * ChatOllama and the `ollama` client use, scripted per model, recording every request.
 */
export async function startOllamaTestServer(options: OllamaTestServerOptions = {}): Promise<OllamaTestServer> {
  const scripts = new Map<string, OllamaModelScript>();
  const script = (model: string, value: OllamaModelScript | string) =>
    scripts.set(model, typeof value === 'string' ? { reply: value } : { ...value });
  for (const [model, value] of Object.entries(options.models ?? {})) script(model, value);
  const version = options.version ?? '0.12.6';

  const requests: RecordedRequest[] = [];
  const waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const find = (name: string): [string, OllamaModelScript] | undefined => {
    for (const candidate of [name, `${name}:latest`]) {
      const found = scripts.get(candidate);
      if (found) return [candidate, found];
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const outcome = new Promise<'completed' | 'aborted'>((resolve) =>
      res.once('close', () => resolve(res.writableFinished ? 'completed' : 'aborted')),
    );
    const raw = await readBody(req);
    let body: unknown;
    let invalidBody = false;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      invalidBody = true;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, body, headers: req.headers, outcome };
    requests.push(recorded);
    for (const waiter of [...waiters]) {
      if (waiter.match(recorded)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
    }
    if (invalidBody) return sendJson(res, 400, { error: 'invalid character in request body' });

    const route = `${recorded.method} ${path}`;
    switch (route) {
      case 'GET /':
      case 'HEAD /':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('Ollama is running');
      case 'GET /api/version':
        return sendJson(res, 200, { version });
      case 'GET /api/tags':
        return sendJson(res, 200, {
          models: [...scripts].filter(([, s]) => s.pulled !== false).map(([name]) => tagEntry(name)),
        });
      case 'POST /api/pull':
        return pull(res, body as { model?: string; name?: string; stream?: boolean });
      case 'POST /api/chat':
        return chat(res, body as OllamaChatRequestBody);
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('404 page not found');
    }
  };

  const pull = (res: ServerResponse, body: { model?: string; name?: string; stream?: boolean }) => {
    const name = body?.model ?? body?.name ?? '';
    const found = find(name);
    const lines: object[] = found
      ? [{ status: 'pulling manifest' }, { status: 'verifying sha256 digest' }, { status: 'success' }]
      : [{ error: 'pull model manifest: file does not exist' }];
    if (found) found[1].pulled = true;
    if (body?.stream === false) {
      const last = lines[lines.length - 1] ?? {};
      return sendJson(res, found ? 200 : 500, last);
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.end(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  };

  const chat = (res: ServerResponse, body: OllamaChatRequestBody) => {
    const name = body?.model ?? '';
    const found = find(name);
    const scripted = found?.[1];
    const failure = scripted?.failure;
    if (!scripted || scripted.pulled === false || failure?.kind === 'not-found') {
      return sendJson(res, 404, { error: `model "${name}" not found, try pulling it first` });
    }
    if (failure?.kind === 'http-500') {
      return sendJson(res, 500, { error: failure.message ?? 'llama runner process has terminated' });
    }
    const text = typeof scripted.reply === 'function' ? scripted.reply(body) : (scripted.reply ?? '');
    const thinking = body.think === false ? '' : (scripted.thinking ?? '');
    const thoughts = split(thinking, scripted.pieceChars ?? 4);
    const pieces = split(text, scripted.pieceChars ?? 4);
    const base = () => ({ model: name, created_at: new Date().toISOString() });
    const usage = scripted.usage;
    const counts =
      usage === 'omit'
        ? {}
        : {
            prompt_eval_count: usage?.promptEvalCount ?? estimatePrompt(body),
            eval_count: usage?.evalCount ?? thoughts.length + pieces.length,
          };
    const final = {
      ...base(),
      message: { role: 'assistant', content: '' },
      done_reason: 'stop',
      done: true,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_duration: 200_000,
      eval_duration: 700_000,
      ...counts,
    };

    if (body.stream === false) {
      if (failure?.kind === 'hang') return;
      if (failure?.kind === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"model": oops');
      }
      if (failure?.kind === 'stream-error') {
        return sendJson(res, 500, { error: failure.message ?? 'llama runner process has terminated' });
      }
      const message = { role: 'assistant', content: text, ...(thinking ? { thinking } : {}) };
      return sendJson(res, 200, { ...final, message });
    }

    const line = (message: { content: string; thinking?: string }) =>
      JSON.stringify({ ...base(), message: { role: 'assistant', ...message }, done: false });
    const lines = [
      ...thoughts.map((piece) => line({ content: '', thinking: piece })),
      ...pieces.map((content) => line({ content })),
    ];
    const cut = failure ? (failure.afterPieces ?? 0) : undefined;
    const sent = cut === undefined ? lines : lines.slice(0, cut);
    const tail: string[] =
      failure?.kind === 'malformed'
        ? ['{"model": oops, "message": ']
        : failure?.kind === 'stream-error'
          ? [JSON.stringify({ error: failure.message ?? 'llama runner process has terminated' })]
          : failure?.kind === 'hang'
            ? []
            : [JSON.stringify(final)];
    if (failure?.kind === 'hang' && sent.length === 0) return;
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const queue = [...sent, ...tail];
    const finish = () => {
      if (failure?.kind !== 'hang') res.end();
    };
    const delay = scripted.delayMs ?? 0;
    if (delay === 0) {
      for (const line of queue) res.write(`${line}\n`);
      return finish();
    }
    const next = () => {
      if (res.destroyed) return;
      const line = queue.shift();
      if (line === undefined) return finish();
      res.write(`${line}\n`);
      // The last line ends the response at once, as Ollama does: a client that stops reading after
      // `done` must not look like one that went away mid-answer.
      if (queue.length === 0) return finish();
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, delay);
      timers.add(timer);
    };
    next();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.method === 'POST' && r.path === '/api/chat').map((r) => r.body as OllamaChatRequestBody),
    script,
    waitForRequest: (match = () => true) => {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });

const sendJson = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
};

/** Splits by code points so no piece ends inside a surrogate pair. */
const split = (text: string, size: number): string[] => {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) {
    pieces.push(chars.slice(i, i + Math.max(1, size)).join(''));
  }
  return pieces;
};

const estimatePrompt = (body: OllamaChatRequestBody): number =>
  Math.ceil((body.messages ?? []).reduce((n, m) => n + String(m.content ?? '').length, 0) / 4);

const tagEntry = (name: string) => ({
  name,
  model: name,
  modified_at: '2026-01-01T00:00:00Z',
  size: 4_920_753_328,
  digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  details: {
    parent_model: '',
    format: 'gguf',
    family: name.split(/[:.\d-]/)[0] ?? name,
    families: null,
    parameter_size: name.split(':')[1]?.toUpperCase() ?? '8B',
    quantization_level: 'Q4_K_M',
  },
});
