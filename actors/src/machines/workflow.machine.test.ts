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
