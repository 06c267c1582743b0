import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, createTestApi } from '../testing/test-api';

const DEBATE = 'Compare REST, GraphQL and gRPC for the public API';
const PANEL = ['architect', 'performance', 'security'];

interface Workflow {
  runId: string;
  status: string;
  state: string;
  answer: string;
  offline: boolean;
  steps: { id: string; agent: string; status: string; answer: { model: string; offline: boolean } | null }[];
  conflicts: { id: string; status: string; options: string[]; resolution: string | null; winner: string | null }[];
  usage: { calls: number; offlineCalls: number };
  costBreakdown: { agent: string; calls: number }[];
}

const WORKFLOW = `runId status state answer offline
  steps { id agent status answer { model offline } }
  conflicts { id status options resolution winner }
  usage { calls offlineCalls }
  costBreakdown { agent calls }`;

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});
afterAll(async () => {
  await t.host.close();
});

async function run(task: string, agents?: string[]) {
  const started = await t.query<{ runWorkflow: Workflow }>(
    'mutation($task: String!, $agents: [String!]) { runWorkflow(task: $task, agents: $agents) { runId status } }',
    { task, agents },
  );
  expect(started.errors).toBeUndefined();
  const runId = started.data?.runWorkflow.runId as string;
  await t.settled(runId);
  const read = await t.query<{ workflow: Workflow }>(`query($id: ID!) { workflow(runId: $id) { ${WORKFLOW} } }`, {
    id: runId,
  });
  return read.data?.workflow as Workflow;
}

describe('the GraphQL API (resolvers through yoga.fetch)', () => {
  it('lists the agents with their model chains and says the offline model is answering', async () => {
    const result = await t.query<{
      agents: { id: string; models: string[]; status: { state: string } }[];
      models: { offlineOnly: boolean };
    }>('{ agents { id models status { state } } models { offlineOnly } }');
    expect(result.data?.agents.map((a) => a.id)).toContain('debugger');
    expect(result.data?.agents).toHaveLength(9);
    expect(result.data?.agents[0]?.models).toEqual(['offline:revo-offline']);
    expect(result.data?.models.offlineOnly).toBe(true);
  });

  it('explains the agent selection for a task', async () => {
    const result = await t.query<{
      agentSelection: { chosen: string[]; ranking: { agent: string; score: number; why: string; matched: string[] }[] };
    }>('{ agentSelection(task: "Fix the crash in the login handler") { chosen ranking { agent score why matched } } }');
    const selection = result.data?.agentSelection;
    expect(selection?.chosen[0]).toBe('debugger');
    expect(selection?.ranking[0]?.agent).toBe('debugger');
    expect(selection?.ranking[0]?.why).toMatch(/capability/);
    expect(selection?.ranking[0]?.matched.length).toBeGreaterThan(0);
  });

  it('runs a workflow from a task to a completed, offline-labelled answer with its cost breakdown', async () => {
    const workflow = await run('Write a function that parses ISO dates, then test it');
    expect(workflow.status).toBe('COMPLETED');
    expect(workflow.offline).toBe(true);
    expect(workflow.answer).toContain('[offline model]');
    expect(workflow.steps.every((s) => s.status === 'SUCCEEDED')).toBe(true);
    expect(workflow.steps.every((s) => s.answer?.offline)).toBe(true);
    expect(workflow.costBreakdown.reduce((n, l) => n + l.calls, 0)).toBe(workflow.usage.calls);
  });

  it("escalates a close disagreement, takes a person's decision, and carries the run on", async () => {
    const waiting = await run(DEBATE, PANEL);
    expect(waiting.status).toBe('AWAITING_HUMAN');
    const conflict = waiting.conflicts.find((c) => c.status === 'ESCALATED');
    expect(conflict?.options).toEqual(expect.arrayContaining(['rest', 'graphql', 'grpc']));
    const decided = await t.query<{ decideConflict: Workflow }>(
      'mutation($run: ID!, $c: ID!) { decideConflict(runId: $run, conflictId: $c, position: "graphql", by: "tester") { status } }',
      { run: waiting.runId, c: conflict?.id },
    );
    expect(decided.errors).toBeUndefined();
    await t.settled(waiting.runId);
    const done = await t.query<{ workflow: Workflow }>(`query($id: ID!) { workflow(runId: $id) { ${WORKFLOW} } }`, {
      id: waiting.runId,
    });
    expect(done.data?.workflow.status).toBe('COMPLETED');
    expect(done.data?.workflow.conflicts[0]).toMatchObject({
      status: 'RESOLVED',
      resolution: 'HUMAN',
      winner: 'graphql',
    });
    expect(done.data?.workflow.answer).toContain('Decision: graphql');
  });

  it('refuses to decide a conflict that is not escalated, naming its state', async () => {
    const result = await t.query(
      'mutation { decideConflict(runId: "nope", conflictId: "c1", position: "rest") { status } }',
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(result.errors?.[0]?.message).toContain('"nope"');
  });

  it('plans a workflow without running it, then runs exactly that plan', async () => {
    const planned = await t.query<{
      planWorkflow: {
        runId: string;
        status: string;
        plan: { steps: { id: string; dependsOn: string[] }[] };
        prediction: { basis: string };
      };
    }>(
      'mutation { planWorkflow(task: "Design, build and document a rate limiter") { runId status plan { steps { id dependsOn } } prediction { basis } } }',
    );
    const plan = planned.data?.planWorkflow;
    expect(plan?.status).toBe('PLANNED');
    expect(plan?.plan.steps.length).toBeGreaterThan(1);
    expect(plan?.prediction.basis).toBeTruthy();
    const again = await t.query<{ runWorkflow: { runId: string } }>(
      'mutation($id: ID!) { runWorkflow(runId: $id) { runId } }',
      {
        id: plan?.runId,
      },
    );
    expect(again.data?.runWorkflow.runId).toBe(plan?.runId);
    const ran = await t.settled(plan?.runId as string);
    expect(ran?.plan?.steps.map((s) => s.id)).toEqual(expect.arrayContaining(plan?.plan.steps.map((s) => s.id) ?? []));
    const twice = await t.query('mutation($id: ID!) { runWorkflow(runId: $id) { runId } }', { id: plan?.runId });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('retries an ended workflow as a new run that names the old one', async () => {
    const first = await run('Write a haiku generator');
    const retried = await t.query<{ retryWorkflow: { runId: string; retryOf: string } }>(
      'mutation($id: ID!) { retryWorkflow(runId: $id) { runId retryOf } }',
      { id: first.runId },
    );
    expect(retried.data?.retryWorkflow.retryOf).toBe(first.runId);
    expect(retried.data?.retryWorkflow.runId).not.toBe(first.runId);
    expect((await t.settled(retried.data?.retryWorkflow.runId as string))?.status).toBe('completed');
  });

  it('pages through workflows newest first and filters them by status', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        data?: {
          workflows: { nodes: { runId: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
        };
      } = await t.query(
        'query($after: String) { workflows(first: 2, after: $after) { nodes { runId } pageInfo { endCursor hasNextPage } } }',
        {
          after,
        },
      );
      const conn = page.data?.workflows;
      seen.push(...(conn?.nodes.map((n) => n.runId) ?? []));
      if (!conn?.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen).size).toBe(seen.length);
    const completed = await t.query<{ workflows: { nodes: { status: string }[] } }>(
      '{ workflows(first: 100, status: COMPLETED) { nodes { status } } }',
    );
    expect(completed.data?.workflows.nodes.length).toBeGreaterThan(0);
    expect(completed.data?.workflows.nodes.every((n) => n.status === 'COMPLETED')).toBe(true);
    const bad = await t.query('{ workflows(after: "garbage") { nodes { runId } } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('chats: a message becomes a turn whose answer says which agent and model answered', async () => {
    const started = await t.query<{ startConversation: { id: string } }>('mutation { startConversation { id } }');
    const id = started.data?.startConversation.id as string;
    const sent = await t.query<{ sendMessage: { runId: string; conversation: { title: string } } }>(
      'mutation($i: SendMessageInput!) { sendMessage(input: $i) { runId conversation { title } } }',
      { i: { conversationId: id, text: 'Document the billing module', mode: 'SINGLE' } },
    );
    expect(sent.data?.sendMessage.conversation.title).toBe('Document the billing module');
    await t.settled(sent.data?.sendMessage.runId as string);
    const read = await t.query<{
      conversation: {
        status: string;
        messages: { role: string; agents: string[]; offline: boolean; runId: string | null }[];
      };
    }>('query($id: ID!) { conversation(id: $id) { status messages { role agents offline runId } } }', { id });
    const [user, reply] = read.data?.conversation.messages ?? [];
    expect(user?.role).toBe('USER');
    expect(reply).toMatchObject({ role: 'ASSISTANT', agents: ['documenter'], offline: true });
    expect(reply?.runId).toBe(sent.data?.sendMessage.runId);
  });

  it('rejects bad messages with readable errors and runs nothing', async () => {
    const started = await t.query<{ startConversation: { id: string } }>('mutation { startConversation { id } }');
    const send = (i: Record<string, unknown>) =>
      t.query('mutation($i: SendMessageInput!) { sendMessage(input: $i) { runId } }', {
        i: { conversationId: started.data?.startConversation.id, ...i },
      });
    const empty = await send({ text: '   ' });
    expect(empty.errors?.[0]).toMatchObject({ message: expect.stringContaining('the message is empty') });
    const unknown = await send({ text: 'hello', agents: ['wizard'] });
    expect(unknown.errors?.[0]?.message).toContain('unknown agent "wizard"');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await t.query('mutation { sendMessage(input: {conversationId: "c-none", text: "hi"}) { runId } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('saves a template from the builder, lists it, and runs it as drawn', async () => {
    const saved = await t.query<{ saveWorkflowTemplate: { id: string; layout: { stepId: string; x: number }[] } }>(
      `mutation($plan: PlanInput!) { saveWorkflowTemplate(name: "build and test", description: "Add a CSV export",
        plan: $plan, layout: [{stepId: "build", x: 10, y: 20}, {stepId: "test", x: 200, y: 20}]) { id layout { stepId x } } }`,
      {
        plan: {
          steps: [
            { id: 'build', agent: 'code-generator', instruction: 'Write the CSV export' },
            { id: 'test', agent: 'tester', instruction: 'Test the CSV export', dependsOn: ['build'] },
          ],
        },
      },
    );
    const template = saved.data?.saveWorkflowTemplate;
    expect(template?.layout).toEqual([
      { stepId: 'build', x: 10 },
      { stepId: 'test', x: 200 },
    ]);
    const listed = await t.query<{ workflowTemplates: { nodes: { id: string }[] } }>(
      '{ workflowTemplates { nodes { id } } }',
    );
    expect(listed.data?.workflowTemplates.nodes.map((n) => n.id)).toContain(template?.id);
    const ran = await t.query<{ runWorkflow: { runId: string; templateId: string } }>(
      'mutation($id: ID!) { runWorkflow(templateId: $id) { runId templateId } }',
      { id: template?.id },
    );
    const done = await t.settled(ran.data?.runWorkflow.runId as string);
    expect(done?.templateId).toBe(template?.id);
    expect(done?.steps.map((s) => [s.id, s.status])).toEqual([
      ['build', 'succeeded'],
      ['test', 'succeeded'],
    ]);
    const cyclic = await t.query(
      `mutation { saveWorkflowTemplate(name: "loop", plan: {steps: [
        {id: "a", agent: "tester", instruction: "a", dependsOn: ["b"]},
        {id: "b", agent: "tester", instruction: "b", dependsOn: ["a"]}]}) { id } }`,
    );
    expect(cyclic.errors?.[0]?.message).toContain('the steps form a cycle');
  });

  it('records feedback on a step and shows it on the workflow', async () => {
    const workflow = await run('Write a slugify function');
    const step = workflow.steps[0];
    const given = await t.query<{ giveFeedback: { agent: string; rating: string } }>(
      'mutation($run: ID!, $step: ID!) { giveFeedback(runId: $run, stepId: $step, rating: DOWN, comment: "too vague") { agent rating } }',
      { run: workflow.runId, step: step?.id },
    );
    expect(given.data?.giveFeedback).toEqual({ agent: step?.agent, rating: 'DOWN' });
    const read = await t.query<{ workflow: { feedback: { comment: string }[]; events: { type: string }[] } }>(
      'query($id: ID!) { workflow(runId: $id) { feedback { comment } events { type } } }',
      { id: workflow.runId },
    );
    expect(read.data?.workflow.feedback).toEqual([{ comment: 'too vague' }]);
    expect(read.data?.workflow.events.map((e) => e.type)).toContain('feedback.given');
  });

  it('shows live actors with their machine definition and a history of snapshots', async () => {
    const waiting = await run(DEBATE, PANEL);
    const actors = await t.query<{
      actors: { id: string; kind: string; runId: string; status: string; value: unknown; definition: { id: string } }[];
    }>('query($run: String) { actors(runId: $run) { id kind runId status value definition } }', { run: waiting.runId });
    const workflow = actors.data?.actors.find((a) => a.kind === 'workflow');
    expect(workflow).toMatchObject({ status: 'active', value: 'awaitingHuman', definition: { id: 'workflow' } });
    const history = await t.query<{ actorHistory: { kind: string; eventType: string; value: unknown }[] }>(
      'query($id: ID!) { actorHistory(id: $id, last: 200) { kind eventType value } }',
      { id: workflow?.id },
    );
    const states = history.data?.actorHistory.filter((u) => u.kind === 'SNAPSHOT').map((u) => u.value);
    expect(states).toEqual(expect.arrayContaining(['planning', 'running', 'discussing', 'awaitingHuman']));
    const cancelled = await t.query<{ cancelWorkflow: { status: string } }>(
      'mutation($id: ID!) { cancelWorkflow(runId: $id, reason: "enough") { status } }',
      { id: waiting.runId },
    );
    expect(cancelled.data?.cancelWorkflow.status).toBe('CANCELLED');
    const again = await t.query('mutation($id: ID!) { cancelWorkflow(runId: $id) { status } }', { id: waiting.runId });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
