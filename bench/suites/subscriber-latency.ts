/** Latency from a published run event to 1,000 graphql-ws subscribers on real sockets. */
import { loadavg } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PlanInput } from '@revo/actors';
import {
  type ApiServer,
  type ClientWorker,
  runClientWorker,
  startApiServer,
  startClientWorker,
} from '../lib/api-server';
import type { Suite } from '../lib/suite';
import { collectGarbage, nowMs, percentile } from '../lib/timing';
import { ANSWER_JSON } from '../lib/workload';

const ROLE = 'subscriber-latency';
const PER_SOCKET = 10;
const PHASES = ['serial', 'burst'] as const;
type Phase = (typeof PHASES)[number];

interface Setup {
  role: typeof ROLE;
  wsUrl: string;
  runId: string;
  sockets: number;
  events: Record<Phase, number>;
}

/** Per phase: receive time minus the publish time carried in the event, one entry per delivery. */
interface PhaseResult {
  latencyMs: Float64Array;
  /** The same deliveries by `Date.now()` minus the event's `at` (the server's 1-ms clock). */
  atLatencyMs: Float64Array;
  delivered: number;
  lastReceivedMs: number;
}

type FromWorker =
  | { type: 'ready'; subscribeMs: number }
  | { type: 'delivered'; phase: Phase; index: number }
  | {
      type: 'result';
      phases: Record<Phase, PhaseResult>;
      /** The workflow's own events after the model is released, by `Date.now()` minus `at`. */
      workflowEventMs: Float64Array;
      completedSubscriptions: number;
      errors: string[];
    };

const FEED = `subscription Feed($runId: ID!) {
  workflowEvents(runId: $runId) { kind event { type seq at delta } }
}`;

interface FeedItem {
  kind: 'SNAPSHOT' | 'EVENT';
  event: { type: string; seq: number; at: string; delta: string | null } | null;
}

/** The step whose model call is held while the benchmark publishes its token deltas. */
const heldStep = { id: 'hold', agent: 'code-generator' };

/** The held step, then two more, so each subscription ends with the workflow once the model is released. */
const plan = {
  steps: [
    { ...heldStep, instruction: 'Wait for the benchmark.' },
    { id: 'next', agent: 'tester', instruction: 'Then answer.', dependsOn: ['hold'] },
    { id: 'last', agent: 'documenter', instruction: 'Then answer.', dependsOn: ['next'] },
  ],
} satisfies PlanInput;

/** The worker: `sockets` graphql-ws clients with `PER_SOCKET` subscriptions each to one workflow. */
async function subscribers(setup: Setup, port: NonNullable<typeof parentPort>) {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const total = setup.sockets * PER_SOCKET;
  const phases = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      {
        latencyMs: new Float64Array(setup.events[phase] * total),
        atLatencyMs: new Float64Array(setup.events[phase] * total),
        delivered: 0,
        lastReceivedMs: 0,
        perEvent: new Int32Array(setup.events[phase]),
      },
    ]),
  ) as Record<Phase, PhaseResult & { perEvent: Int32Array }>;
  const workflowEventMs: number[] = [];
  const errors: string[] = [];
  let snapshots = 0;
  let completed = 0;
  let ended = 0;
  let allEnded: () => void = () => {};
  const everyEnded = new Promise<void>((resolve) => {
    allEnded = resolve;
  });
  const started = nowMs();

  const receive = (item: FeedItem) => {
    const receivedMs = nowMs();
    const wallMs = Date.now();
    if (item.kind === 'SNAPSHOT') {
      snapshots += 1;
      if (snapshots === total) port.postMessage({ type: 'ready', subscribeMs: receivedMs - started });
      return;
    }
    const event = item.event;
    if (!event) return;
    const [phase, index, sentMs] = event.type === 'agent.token' ? (event.delta ?? '').split(':') : [];
    const into = phases[phase as Phase];
    if (!into) {
      workflowEventMs.push(wallMs - Date.parse(event.at));
      if (event.type === 'workflow.completed') completed += 1;
      return;
    }
    into.latencyMs[into.delivered] = receivedMs - Number(sentMs);
    into.atLatencyMs[into.delivered] = wallMs - Date.parse(event.at);
    into.delivered += 1;
    into.lastReceivedMs = receivedMs;
    const n = Number(index);
    into.perEvent[n] = (into.perEvent[n] ?? 0) + 1;
    if (into.perEvent[n] === total) port.postMessage({ type: 'delivered', phase, index: n });
  };
  const note = (message: string) => {
    if (errors.length < 5) errors.push(message);
  };
  const end = () => {
    ended += 1;
    if (ended === total) allEnded();
  };

  const clients = Array.from({ length: setup.sockets }, () =>
    createClient({ url: setup.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 }),
  );
  for (const client of clients) {
    for (let i = 0; i < PER_SOCKET; i++) {
      client.subscribe<{ workflowEvents: FeedItem }>(
        { query: FEED, variables: { runId: setup.runId } },
        {
          next: (result) => {
            if (result.errors) note(result.errors.map((e) => e.message).join('; '));
            if (result.data) receive(result.data.workflowEvents);
          },
          // A subscription that fails would leave the suite waiting for its deliveries: end the run.
          error: (error) => {
            const message = error instanceof Error ? error.message : JSON.stringify(error);
            port.postMessage({ type: 'failed', message: `a subscription failed: ${message}` });
            end();
          },
          complete: end,
        },
      );
    }
  }
  // Every subscription ends with the workflow (or fails); lazy clients then close their sockets.
  await everyEnded;
  await Promise.all(clients.map((client) => client.dispose()));
  const result: FromWorker = {
    type: 'result',
    phases: Object.fromEntries(
      PHASES.map((phase) => {
        const { latencyMs, atLatencyMs, delivered, lastReceivedMs } = phases[phase];
        return [phase, { latencyMs, atLatencyMs, delivered, lastReceivedMs }];
      }),
    ) as Record<Phase, PhaseResult>,
    workflowEventMs: Float64Array.from(workflowEventMs),
    completedSubscriptions: completed,
    errors,
  };
  port.postMessage(
    result,
    PHASES.flatMap((p) => [phases[p].latencyMs.buffer as ArrayBuffer, phases[p].atLatencyMs.buffer as ArrayBuffer]),
  );
}

/** A token delta per event, carrying the phase, its index and this clock's time of publishing. */
function publishToken(server: ApiServer, runId: string, phase: Phase, index: number) {
  server.actorHost.publisher.publish({
    type: 'agent.token',
    runId,
    stepId: heldStep.id,
    agent: heldStep.agent,
    delta: `${phase}:${index}:${nowMs()}`,
  });
}

const summary = (samples: Float64Array | number[]) => {
  const values = Array.from(samples);
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
  };
};

export const subscriberLatency: Suite = {
  name: 'subscriber-latency',
  measures:
    'a real server on 127.0.0.1 in this process; 1,000 graphql-ws subscribers (100 WebSockets x 10 ' +
    'subscriptions each, `ws` clients in a worker thread) on the workflowEvents of one running workflow ' +
    '(--quick: 25 x 10). Token-delta events are published through the host publisher, each carrying ' +
    'its publish time; latency = receive time in the worker - publish time (one monotonic clock), per ' +
    'event per subscriber. serial: the next event is published once every subscriber has the last ' +
    '(200, --quick 50); burst: 200 (--quick 50) published at once, delivered/s = deliveries / (last ' +
    'receive - first publish). Then the model is released and every subscription ends with ' +
    'workflow.completed. No peer: LangGraph.js has no subscription server, so absolute numbers only.',
  async run({ quick, log }) {
    const sockets = quick ? 25 : 100;
    const events: Record<Phase, number> = { serial: quick ? 50 : 200, burst: quick ? 50 : 200 };
    const subscriptions = sockets * PER_SOCKET;
    const loadBefore = loadavg()[0];
    let release: (answer: string) => void = () => {};
    const held = new Promise<string>((resolve) => {
      release = resolve;
    });
    const server = await startApiServer(() => held, { REVO_TIMEOUT_MS: '3600000' });
    let clients: ClientWorker<FromWorker> | undefined;
    try {
      const started = await server.gql<{ runWorkflow: { runId: string } }>(
        'mutation Run($task: String!, $plan: PlanInput) { runWorkflow(task: $task, plan: $plan) { runId } }',
        { task: 'Hold while the benchmark publishes.', plan },
      );
      const runId = started.data?.runWorkflow.runId;
      if (!runId) throw new Error(`runWorkflow failed: ${JSON.stringify(started.errors)}`);
      const setup: Setup = { role: ROLE, wsUrl: server.wsUrl, runId, sockets, events };
      clients = startClientWorker<FromWorker>(import.meta.url, setup);
      const { subscribeMs } = await clients.next('ready');
      log(
        `subscriber-latency: ${subscriptions} subscriptions on ${sockets} sockets live in ${subscribeMs.toFixed(0)} ms`,
      );
      collectGarbage();

      const serialStart = nowMs();
      for (let i = 0; i < events.serial; i++) {
        publishToken(server, runId, 'serial', i);
        await clients.next('delivered');
      }
      const serialMs = nowMs() - serialStart;

      collectGarbage();
      const burstStart = nowMs();
      for (let i = 0; i < events.burst; i++) publishToken(server, runId, 'burst', i);
      for (let i = 0; i < events.burst; i++) await clients.next('delivered');
      log(`subscriber-latency: serial ${serialMs.toFixed(0)} ms, burst ${(nowMs() - burstStart).toFixed(0)} ms`);

      release(ANSWER_JSON);
      const result = await clients.next('result');
      await clients.close();
      clients = undefined;

      const serial = summary(result.phases.serial.latencyMs);
      const burst = summary(result.phases.burst.latencyMs);
      const burstMs = result.phases.burst.lastReceivedMs - burstStart;
      const perSecond = {
        serial: (result.phases.serial.delivered / serialMs) * 1000,
        burst: (result.phases.burst.delivered / burstMs) * 1000,
      };
      const byAt = {
        serial: summary(result.phases.serial.atLatencyMs),
        burst: summary(result.phases.burst.atLatencyMs),
      };
      const workflowEvents = summary(result.workflowEventMs);
      const lost = PHASES.reduce((sum, p) => sum + events[p] * subscriptions - result.phases[p].delivered, 0);
      if (result.errors.length > 0) log(`subscriber-latency: subscription errors: ${result.errors.join(' | ')}`);
      return {
        rows: [
          { metric: `subscribers (${sockets} sockets x ${PER_SOCKET})`, revo: subscriptions },
          { metric: `serial, ${events.serial} events: latency p50, ms`, revo: serial.p50 },
          { metric: 'serial: latency p99, ms', revo: serial.p99 },
          { metric: 'serial: latency max, ms', revo: serial.max },
          { metric: 'serial: events delivered/s', revo: perSecond.serial },
          { metric: `burst, ${events.burst} events: latency p50, ms`, revo: burst.p50 },
          { metric: 'burst: latency p99, ms', revo: burst.p99 },
          { metric: 'burst: latency max, ms', revo: burst.max },
          { metric: 'burst: events delivered/s', revo: perSecond.burst },
          { metric: 'workflow events after release: p99, ms (at, 1-ms clock)', revo: workflowEvents.p99 },
          {
            metric: 'deliveries lost + subscriptions not completed',
            revo: lost + subscriptions - result.completedSubscriptions,
          },
        ],
        data: {
          peer: 'none: LangGraph.js has no subscription server',
          loadAverage1m: { before: loadBefore, after: loadavg()[0] },
          sockets,
          subscriptionsPerSocket: PER_SOCKET,
          subscriptions,
          events,
          latencyMs: { serial, burst },
          latencyByEventAtMs: byAt,
          deliveredPerSecond: perSecond,
          wallMs: { serial: serialMs, burst: burstMs },
          workflowEventsAfterRelease: workflowEvents,
          completedSubscriptions: result.completedSubscriptions,
          lostDeliveries: lost,
          errors: result.errors,
        },
      };
    } finally {
      release(ANSWER_JSON);
      await clients?.close(0);
      await server.close();
    }
  },
};

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ROLE) {
  const port = parentPort;
  await runClientWorker(port, () => subscribers(workerData as Setup, port));
}
