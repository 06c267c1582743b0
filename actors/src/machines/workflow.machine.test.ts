import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createMemoryCallJournal } from '../adapters/memory-call-journal';
import { createMemoryEventPort } from '../adapters/memory-event-port';
import type { PlanInput } from '../domain/plan';
import type { PlannerPort } from '../ports/planner-port';
import { answerJson, createFakeModelPort, createFixedPlanner, type FakeScript, testAgents } from '../testing';
import { wireMachines } from '../wire-machines';
import type { WorkflowInput } from './workflow.machine';

const agents = testAgents('coder', 'tester', 'fixer', 'writer', 'arch', 'perf', 'sec');

function setupRun(script: FakeScript, planner: PlannerPort, input: Partial<WorkflowInput> = {}) {
  const models = createFakeModelPort(script);
  const events = createMemoryEventPort();
  const journal = createMemoryCallJournal();
  const machines = wireMachines({ models: models.port, journal, planner, events });
  const actor = createActor(machines.workflow, {
    input: {
      runId: 'run-1',
      task: 'build it',
      agents,
      chains: Object.fromEntries(agents.map((a) => [a.id, models.port.chainFor(a)])),
      options: { retry: { attemptsPerModel: 2, baseDelayMs: 1, maxDelayMs: 2 } },
      ...input,
    },
  });
  return { actor, models, events, journal, machines };
}

const diamond: PlanInput = {
  steps: [
    { id: 'design', agent: 'arch', instruction: 'design it' },
    { id: 'code', agent: 'coder', instruction: 'write it', dependsOn: ['design'] },
    { id: 'docs', agent: 'writer', instruction: 'document it', dependsOn: ['design'] },
    { id: 'test', agent: 'tester', instruction: 'test it', dependsOn: ['code'] },
  ],
};

describe('workflowMachine', () => {
  it('runs independent steps at once and feeds each step its dependencies’ results', async () => {
    const { actor, models, events } = setupRun(
      (r) => ({ reply: answerJson(`${r.agent} done`), delayMs: 5 }),
      createFixedPlanner(diamond),
    );
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.value).toBe('completed');
    expect(done.output?.status).toBe('completed');
    const started = events.events.filter((e) => e.type === 'step.started').map((e) => (e as { stepId: string }).stepId);
    expect(started).toEqual(['design', 'code', 'docs', 'test']);
    const codeIdx = events.events.findIndex((e) => e.type === 'step.started' && e.stepId === 'code');
    const docsIdx = events.events.findIndex((e) => e.type === 'step.started' && e.stepId === 'docs');
    const codeDone = events.events.findIndex((e) => e.type === 'step.completed' && e.stepId === 'code');
    expect(docsIdx).toBeLessThan(codeDone);
    expect(docsIdx).toBe(codeIdx + 1);
    const testPrompt = models.calls.find((c) => c.agent === 'tester')?.prompt ?? '';
    expect(testPrompt).toContain('### code (coder)');
    expect(testPrompt).toContain('answer: coder done');
    expect(done.output?.usage.calls).toBe(4);
    expect(done.output?.answer).toContain('answer: tester done');
    expect(done.output?.answer).toContain('answer: writer done');
  });
});

describe('workflowMachine adaptation', () => {
  it('inserts a debugger step after a failing test step and re-checks before going on', async () => {
    const plan: PlanInput = {
      steps: [
        { id: 'code', agent: 'coder', instruction: 'write it' },
        { id: 'test', agent: 'tester', instruction: 'test it', dependsOn: ['code'] },
        { id: 'ship', agent: 'writer', instruction: 'write release notes', dependsOn: ['test'] },
      ],
    };
    const planner = createFixedPlanner(plan, ({ plan: current, trigger }) => ({
      steps: [
        ...current.steps.map((s) =>
          s.dependsOn.some((d) => d === trigger.stepId) ? { ...s, dependsOn: ['recheck'] } : s,
        ),
        {
          id: 'fix',
          agent: 'fixer',
          instruction: 'fix the failure',
          dependsOn: [trigger.stepId],
          insertedFor: trigger.stepId,
        },
        {
          id: 'recheck',
          agent: 'tester',
          instruction: 'test it again',
          dependsOn: ['fix'],
          insertedFor: trigger.stepId,
        },
      ],
    }));
    let testerCalls = 0;
    const { actor, events, models } = setupRun((r) => {
      if (r.agent === 'tester' && testerCalls++ === 0)
        return { reply: answerJson('fail', 0.9, { flag: 'failed-check' }) };
      return { reply: answerJson(r.agent === 'tester' ? 'pass' : `${r.agent} ok`) };
    }, planner);
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('completed');
    expect(planner.revisions).toHaveLength(1);
    expect(planner.revisions[0]?.trigger).toMatchObject({ stepId: 'test', agent: 'tester' });
    expect(events.events.some((e) => e.type === 'workflow.revised' && e.added.includes('fix'))).toBe(true);
    expect(done.output?.steps.test?.status).toBe('failed');
    expect(done.output?.steps.fix?.status).toBe('succeeded');
    expect(done.output?.steps.recheck?.status).toBe('succeeded');
    const fixPrompt = models.calls.find((c) => c.agent === 'fixer')?.prompt ?? '';
    expect(fixPrompt).toContain('position: fail; flag: failed-check');
    const order = events.events.filter((e) => e.type === 'step.completed').map((e) => (e as { stepId: string }).stepId);
    expect(order).toEqual(['code', 'fix', 'recheck', 'ship']);
  });

  it('skips dependents and fails when the planner has no repair', async () => {
    const { actor, events } = setupRun(
      (r) => (r.agent === 'coder' ? { error: 'model exploded', transient: false } : { reply: answerJson('ok') }),
      createFixedPlanner(diamond),
    );
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('failed');
    expect(done.output?.steps.code?.status).toBe('failed');
    expect(done.output?.steps.test?.status).toBe('skipped');
    expect(done.output?.steps.docs?.status).toBe('succeeded');
    expect(done.output?.error).toContain('code');
    expect(events.events.some((e) => e.type === 'step.skipped' && e.stepId === 'test')).toBe(true);
  });
});

describe('workflowMachine limits', () => {
  it('never runs more steps at once than the concurrency limit', async () => {
    const plan: PlanInput = {
      steps: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, agent: 'coder', instruction: id })),
    };
    const { actor, models } = setupRun(() => ({ reply: answerJson('ok'), delayMs: 3 }), createFixedPlanner(plan), {
      options: { concurrency: 2 },
    });
    let peakRunning = 0;
    actor.subscribe((s) => {
      const running = Object.values(s.context.steps).filter((x) => x.status === 'running').length;
      peakRunning = Math.max(peakRunning, running);
    });
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('completed');
    expect(models.calls).toHaveLength(6);
    expect(models.load.peak).toBe(2);
    expect(peakRunning).toBe(2);
  });

  it('cancels: stops in-flight model calls and marks unfinished steps cancelled', async () => {
    const { actor, models, events } = setupRun(() => ({ hang: true }), createFixedPlanner(diamond));
    actor.start();
    await models.nextCall((r) => r.agent === 'arch');
    actor.send({ type: 'workflow.cancel', reason: 'user asked' });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('cancelled');
    expect(models.aborted.map((r) => r.agent)).toEqual(['arch']);
    expect(done.output?.steps.design?.status).toBe('cancelled');
    expect(events.events.at(-1)).toMatchObject({ type: 'workflow.cancelled', reason: 'user asked' });
  });

  it('fails with a budget event when the token budget is spent', async () => {
    const { actor, events } = setupRun(
      () => ({ reply: answerJson('ok', 0.8, { answer: 'x'.repeat(400) }) }),
      createFixedPlanner(diamond),
      {
        options: { budgets: { maxTokens: 150 } },
      },
    );
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.error).toContain('tokens budget exceeded');
    expect(done.output?.status).toBe('failed');
    expect(events.events.find((e) => e.type === 'workflow.budget.exceeded')).toMatchObject({
      budget: 'tokens',
      limit: 150,
    });
    expect(done.output?.steps.test?.status).not.toBe('succeeded');
  });

  it('fails when a plan needs more steps than the step budget allows', async () => {
    const { actor, events, models } = setupRun(() => ({ reply: answerJson('ok') }), createFixedPlanner(diamond), {
      options: { budgets: { maxSteps: 2 } },
    });
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('failed');
    expect(events.events.find((e) => e.type === 'workflow.budget.exceeded')).toMatchObject({
      budget: 'steps',
      limit: 2,
    });
    expect(models.calls.length).toBeLessThanOrEqual(2);
  });

  it('fails when the time budget runs out while a model hangs', async () => {
    const { actor, events, models } = setupRun(() => ({ hang: true }), createFixedPlanner(diamond), {
      options: { budgets: { maxDurationMs: 30 } },
    });
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('failed');
    expect(events.events.find((e) => e.type === 'workflow.budget.exceeded')).toMatchObject({ budget: 'time' });
    expect(models.aborted).toHaveLength(1);
  });

  it('rejects a plan with a cycle or an unknown agent with a clear error', async () => {
    const bad: PlanInput = {
      steps: [
        { id: 'a', agent: 'coder', instruction: 'a', dependsOn: ['b'] },
        { id: 'b', agent: 'ghost', instruction: 'b', dependsOn: ['a'] },
      ],
    };
    const { actor, models } = setupRun(() => ({ reply: answerJson('ok') }), createFixedPlanner(bad));
    actor.start();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('failed');
    expect(done.output?.error).toContain('unknown agent "ghost"');
    expect(models.calls).toHaveLength(0);
  });
});
