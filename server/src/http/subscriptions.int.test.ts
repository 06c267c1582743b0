import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createGatedModel } from '../testing/gated-model';
import { gql, startTestServer } from '../testing/test-server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

interface FeedItem {
  kind: 'SNAPSHOT' | 'EVENT';
  workflow: { status: string; seq: number; steps: { id: string; status: string }[] } | null;
  event: {
    type: string;
    seq: number;
    stepId: string | null;
    delta: string | null;
    data: Record<string, unknown>;
  } | null;
}

const WORKFLOW_FEED = `subscription($id: ID!) { workflowEvents(runId: $id) {
  kind workflow { status seq steps { id status } } event { type seq stepId delta data } } }`;

/** Collects a subscription's items; `until` resolves when one matches (or the stream ends). */
function collect<T>(client: Client, query: string, variables: Record<string, unknown>) {
  const items: T[] = [];
  const waiters: { test: (item: T) => boolean; resolve: (item: T) => void }[] = [];
  let ended: (value: unknown) => void = () => {};
  const done = new Promise((resolve) => (ended = resolve));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
        const item = result.data as T;
        items.push(item);
        for (const w of waiters.filter((w) => w.test(item))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(item);
        }
      },
      error: (error) => ended(error),
      complete: () => ended(undefined),
    },
  );
  return {
    items,
    done,
    dispose,
    until(test: (item: T) => boolean): Promise<T> {
      const seen = items.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

/** The durable seqs a subscriber saw: the snapshot's, then each event's (tokens carry no seq of their own). */
const durableSeqs = (items: FeedItem[]) =>
  items.flatMap((i) => (i.kind === 'SNAPSHOT' ? [] : i.event && i.event.type !== 'agent.token' ? [i.event.seq] : []));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('subscriptions over graphql-ws on /graphql', () => {
  const model = createGatedModel();
  let server: Server;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer({}, { models: model.port });
    client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.close();
  });

  const start = async (task: string, plan?: unknown) => {
    const result = await gql<{ runWorkflow: { runId: string } }>(
      server.url,
      'mutation($task: String!, $plan: PlanInput) { runWorkflow(task: $task, plan: $plan) { runId } }',
      { task, plan },
    );
    expect(result.errors).toBeUndefined();
    return result.data?.runWorkflow.runId as string;
  };

  it('follows a workflow from the mutation to its completed event, in order, with token deltas', async () => {
    const open = model.hold('write');
    const runId = await start('Write and test a parser', {
      steps: [
        { id: 'write', agent: 'code-generator', instruction: 'write it' },
        { id: 'check', agent: 'tester', instruction: 'test it', dependsOn: ['write'] },
      ],
    });
    const feed = collect<{ workflowEvents: FeedItem }>(client, WORKFLOW_FEED, { id: runId });
    await feed.until((i) => i.workflowEvents.kind === 'SNAPSHOT');
    open();
    await feed.done;
    const items = feed.items.map((i) => i.workflowEvents);
    expect(items[0]?.kind).toBe('SNAPSHOT');
    expect(items.at(-1)?.event?.type).toBe('workflow.completed');
    const seqs = durableSeqs(items);
    expect(seqs).toEqual(range((items[0]?.workflow?.seq ?? 0) + 1, seqs.at(-1) ?? 0));
    const tokens = items.filter((i) => i.event?.type === 'agent.token' && i.event.stepId === 'write');
    expect(tokens.map((i) => i.event?.delta).join('')).toBe('answer streamed here');
  });

  it('gives a late subscriber the current state first, then the rest of the stream, with no gap and no duplicate', async () => {
    const open = model.hold('b');
    const runId = await start('Three steps', {
      steps: [
        { id: 'a', agent: 'architect', instruction: 'a' },
        { id: 'b', agent: 'code-generator', instruction: 'b', dependsOn: ['a'] },
        { id: 'c', agent: 'documenter', instruction: 'c', dependsOn: ['b'] },
      ],
    });
    await model.reached('b');
    const late = collect<{ workflowEvents: FeedItem }>(client, WORKFLOW_FEED, { id: runId });
    const snapshot = (await late.until((i) => i.workflowEvents.kind === 'SNAPSHOT')).workflowEvents.workflow;
    expect(snapshot?.steps.map((s) => [s.id, s.status])).toEqual([
      ['a', 'SUCCEEDED'],
      ['b', 'RUNNING'],
      ['c', 'PENDING'],
    ]);
    open();
    await late.done;
    const seqs = durableSeqs(late.items.map((i) => i.workflowEvents));
    const all = await gql<{ workflow: { events: { seq: number }[] } }>(
      server.url,
      'query($id: ID!) { workflow(runId: $id) { events { seq } } }',
      { id: runId },
    );
    const last = all.data?.workflow.events.at(-1)?.seq ?? 0;
    expect(seqs).toEqual(range((snapshot?.seq ?? 0) + 1, last));
    expect(snapshot?.seq).toBeGreaterThan(0);
  });

  it('shows a conflict escalating, takes the decision through the API, and streams the run to its end', async () => {
    const runId = await start('Pick the API style', {
      steps: ['architect', 'performance', 'security'].map((agent) => ({
        id: agent,
        agent,
        instruction: 'Which API style: rest, graphql or grpc?',
        question: 'api style',
      })),
    });
    const feed = collect<{ workflowEvents: FeedItem }>(client, WORKFLOW_FEED, { id: runId });
    const escalated = await feed.until(
      (i) =>
        i.workflowEvents.event?.type === 'workflow.awaiting.human' ||
        i.workflowEvents.workflow?.status === 'AWAITING_HUMAN',
    );
    expect(escalated).toBeDefined();
    const read = await gql<{ workflow: { conflicts: { id: string; options: string[] }[] } }>(
      server.url,
      'query($id: ID!) { workflow(runId: $id) { conflicts { id options } } }',
      { id: runId },
    );
    const conflict = read.data?.workflow.conflicts[0];
    const decided = await gql(
      server.url,
      'mutation($r: ID!, $c: ID!, $p: String!) { decideConflict(runId: $r, conflictId: $c, position: $p) { status } }',
      { r: runId, c: conflict?.id, p: conflict?.options[0] },
    );
    expect(decided.errors).toBeUndefined();
    await feed.done;
    const types = feed.items.map((i) => i.workflowEvents.event?.type);
    expect(types).toContain('conflict.decided');
    expect(types.at(-1)).toBe('workflow.completed');
  });

  it('streams a conversation: the user message, token deltas, then the answer as a message', async () => {
    const started = await gql<{ startConversation: { id: string } }>(
      server.url,
      'mutation { startConversation { id } }',
    );
    const id = started.data?.startConversation.id;
    const feed = collect<{ conversationEvents: { kind: string; event: FeedItem['event'] } }>(
      client,
      'subscription($id: ID!) { conversationEvents(conversationId: $id) { kind event { type seq delta data } } }',
      { id },
    );
    await feed.until((i) => i.conversationEvents.kind === 'SNAPSHOT');
    await gql(server.url, 'mutation($i: SendMessageInput!) { sendMessage(input: $i) { runId } }', {
      i: { conversationId: id, text: 'Write a function that adds two numbers' },
    });
    const answer = await feed.until(
      (i) =>
        i.conversationEvents.event?.type === 'message.added' &&
        (i.conversationEvents.event.data.message as { role: string }).role === 'assistant',
    );
    const message = answer.conversationEvents.event?.data.message as { agents: string[] } | undefined;
    expect(message?.agents).toEqual(['code-generator']);
    const types = feed.items.map((i) => i.conversationEvents.event?.type);
    expect(types.indexOf('message.added')).toBeLessThan(types.indexOf('agent.token'));
    expect(types).toContain('workflow.completed');
    feed.dispose();
  });

  it("streams an actor's transitions to the inspector as they happen", async () => {
    const open = model.hold('slow');
    const runId = await start('Inspect me', { steps: [{ id: 'slow', agent: 'tester', instruction: 'test' }] });
    await model.reached('slow');
    const actors = await gql<{ actors: { id: string; kind: string; value: unknown }[] }>(
      server.url,
      'query($r: String) { actors(runId: $r, kind: "workflow") { id kind value } }',
      { r: runId },
    );
    const actor = actors.data?.actors[0];
    expect(actor?.value).toBe('running');
    const feed = collect<{ inspectorEvents: { kind: string; value: unknown; status: string | null } }>(
      client,
      'subscription($id: ID!) { inspectorEvents(actorId: $id) { kind value status } }',
      { id: actor?.id },
    );
    await feed.until((i) => i.inspectorEvents.value === 'running');
    open();
    await feed.done;
    const states = feed.items.filter((i) => i.inspectorEvents.kind === 'SNAPSHOT').map((i) => i.inspectorEvents.value);
    expect(states[0]).toBe('running');
    expect(states.at(-1)).toBe('completed');
  });
});
