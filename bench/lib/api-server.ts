/**
 * The API side of the benchmarks: a real reVo server on loopback in this process, and a worker
 * thread for its clients, so sockets and JSON on the client side run on their own event loop (and
 * core) instead of queueing behind the server they measure.
 */
import { Worker } from 'node:worker_threads';
import type { ModelPort, ModelRef } from '@revo/actors';
import type { ModelFn } from './workload';

const benchModel: ModelRef = { id: 'fake:bench', provider: 'fake', name: 'bench', local: true };

/** The same port `revo-runner` gives the core, so API runs and core runs call one model the same way. */
function benchModelPort(model: ModelFn): ModelPort {
  return {
    chainFor: () => [benchModel],
    price: () => 0,
    complete: async (request) => {
      const text = await model(request.agent, request.prompt);
      return { text, tokensIn: Math.ceil(request.prompt.length / 4), tokensOut: Math.ceil(text.length / 4) };
    },
  };
}

/**
 * Starts the whole server (memory state, offline planner, a free port on 127.0.0.1) with `model`
 * behind every agent. `settings` are env entries. Close it with `close()`.
 */
export async function startApiServer(model: ModelFn, settings: Record<string, string> = {}) {
  // Loaded on first use: suites that never start a server do not pay for building the schema.
  const { gql, startTestServer } = await import('../../server/src/testing/test-server');
  const server = await startTestServer(
    { HOST: '127.0.0.1', REVO_PLANNER: 'offline', REVO_ANALYTICS: '0', ...settings },
    { models: benchModelPort(model) },
  );
  return {
    ...server,
    /** A GraphQL request to this server over HTTP. */
    gql: <T>(query: string, variables: Record<string, unknown> = {}) => gql<T>(server.url, query, variables),
  };
}

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;

/** A message between a suite and its client worker; `failed` ends the run with the worker's error. */
export interface WorkerMessage {
  type: string;
}

/**
 * Runs the module at `moduleUrl` again in a worker thread (it tells the two apart with
 * `isMainThread` and `workerData.role`), with TypeScript loaded the way `tsx` loads this process.
 * `next(type)` resolves with the worker's next message of that type; a `failed` message, an
 * uncaught error or an early exit rejects every wait.
 */
export function startClientWorker<Out extends WorkerMessage>(moduleUrl: string, data: { role: string }) {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  const inbox: Out[] = [];
  const waiters: { type: string; resolve: (message: Out) => void; reject: (error: unknown) => void }[] = [];
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  };
  worker.on('message', (message: Out & { message?: string }) => {
    if (message.type === 'failed') return fail(new Error(`client worker: ${message.message ?? 'failed'}`));
    const at = waiters.findIndex((w) => w.type === message.type);
    if (at < 0) inbox.push(message);
    else waiters.splice(at, 1)[0]?.resolve(message);
  });
  worker.on('error', fail);
  const exited = new Promise<number>((resolve) =>
    worker.once('exit', (code) => {
      fail(new Error(`client worker exited (code ${code}) before it answered`));
      resolve(code);
    }),
  );
  return {
    post: (message: WorkerMessage & Record<string, unknown>) => worker.postMessage(message),
    next<T extends Out['type']>(type: T): Promise<Extract<Out, { type: T }>> {
      const at = inbox.findIndex((m) => m.type === type);
      if (at >= 0) return Promise.resolve(inbox.splice(at, 1)[0] as Extract<Out, { type: T }>);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) =>
        waiters.push({ type, resolve: resolve as (message: Out) => void, reject }),
      );
    },
    /** Waits for the worker to end on its own, and ends it after `graceMs` if it does not. */
    async close(graceMs = 5_000): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
      });
      await Promise.race([exited, late]);
      clearTimeout(timer);
    },
  };
}

export type ClientWorker<Out extends WorkerMessage> = ReturnType<typeof startClientWorker<Out>>;

/** The worker's side of `startClientWorker`: posts an uncaught error as `failed`, then ends the worker. */
export async function runClientWorker(
  port: { postMessage(message: unknown): void; close(): void },
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    port.close();
  }
}
