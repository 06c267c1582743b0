import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createMemoryCallJournal } from '../adapters/memory-call-journal';
import { createMemoryEventPort } from '../adapters/memory-event-port';
import type { PlanInput } from '../domain/plan';
import type { ModelRequest } from '../ports/model-port';
import { answerJson, createFakeModelPort, createFixedPlanner, testAgents } from '../testing';
import { wireMachines } from '../wire-machines';

const agents = testAgents('arch', 'perf', 'sec');
const question = 'Should we store sessions in Postgres or Redis?';
const panel: PlanInput = {
  steps: agents.map((a) => ({ id: a.id, agent: a.id, instruction: question, question })),
};

type Opinion = { position: string; confidence: number };
/** First answers per agent, then what each does in a discussion round given the prompt. */
function run(first: Record<string, Opinion>, revise: (agent: string, prompt: string, round: number) => Opinion) {
  const models = createFakeModelPort((r: ModelRequest) => {
    const round = /Discussion round (\d+)/.exec(r.prompt);
    const opinion = round ? revise(r.agent, r.prompt, Number(round[1])) : first[r.agent];
    if (!opinion) throw new Error(`no opinion for ${r.agent}`);
    return { reply: answerJson(opinion.position, opinion.confidence) };
  });
  const events = createMemoryEventPort();
  const machines = wireMachines({
    models: models.port,
    journal: createMemoryCallJournal(),
    planner: createFixedPlanner(panel),
    events,
  });
  const actor = createActor(machines.workflow, {
    input: {
      runId: 'd-1',
      task: question,
      mode: 'multi',
      agents,
      chains: Object.fromEntries(agents.map((a) => [a.id, models.port.chainFor(a)])),
    },
  });
  actor.start();
  return { actor, events, models };
}

const first: Record<string, Opinion> = {
  arch: { position: 'postgres', confidence: 0.9 },
  perf: { position: 'redis', confidence: 0.6 },
  sec: { position: 'postgres', confidence: 0.7 },
};

describe('discussionMachine', () => {
  it('reaches consensus when the outvoted agent is convinced in round one', async () => {
    const { actor, events, models } = run(first, (agent, prompt) => {
      expect(prompt).toContain('Participant A: position');
      expect(prompt).not.toMatch(/arch|perf|sec/);
      return agent === 'perf' ? { position: 'postgres', confidence: 0.7 } : (first[agent] as Opinion);
    });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('completed');
    const conflict = done.output?.conflicts[0];
    expect(conflict).toMatchObject({ status: 'resolved', resolution: 'consensus', winner: 'postgres' });
    expect(conflict?.rounds).toHaveLength(2);
    expect(conflict?.rounds[0]?.stances.map((s) => s.position)).toEqual(['postgres', 'redis', 'postgres']);
    expect(models.calls.filter((c) => c.prompt.includes('Discussion round 1'))).toHaveLength(3);
    expect(done.output?.answer).toMatch(/^Decision: postgres \(consensus after 1 round/);
    const kinds = events.events.map((e) => e.type);
    expect(kinds).toContain('conflict.detected');
    expect(kinds).toContain('discussion.round.completed');
    expect(kinds.indexOf('discussion.resolved')).toBeLessThan(kinds.indexOf('workflow.completed'));
  });

  it('votes, weighted by confidence, when nobody moves after the last round', async () => {
    const { actor, events } = run(first, (agent) => first[agent] as Opinion);
    const done = await waitFor(actor, (s) => s.status === 'done');
    const conflict = done.output?.conflicts[0];
    expect(conflict).toMatchObject({ status: 'resolved', resolution: 'vote', winner: 'postgres' });
    expect(conflict?.rounds).toHaveLength(3);
    expect(conflict?.tally[0]).toMatchObject({ position: 'postgres', voters: ['arch', 'sec'] });
    expect(conflict?.tally[0]?.weight).toBeCloseTo(1.6);
    expect(events.events.filter((e) => e.type === 'discussion.round.started')).toHaveLength(2);
  });

  it('escalates a tie to a person, waits, and resumes on the decision', async () => {
    const tie: Record<string, Opinion> = {
      arch: { position: 'postgres', confidence: 0.8 },
      perf: { position: 'redis', confidence: 0.8 },
      sec: { position: 'memcached', confidence: 0.8 },
    };
    const { actor, events } = run(tie, (agent) => tie[agent] as Opinion);
    const waiting = await waitFor(actor, (s) => s.matches('awaitingHuman'));
    const conflict = waiting.context.conflicts[0];
    expect(conflict?.status).toBe('escalated');
    expect(events.events.some((e) => e.type === 'discussion.escalated')).toBe(true);
    actor.send({ type: 'conflict.decide', conflictId: 'c-unknown', position: 'redis' });
    expect(actor.getSnapshot().matches('awaitingHuman')).toBe(true);
    actor.send({ type: 'conflict.decide', conflictId: conflict?.id ?? '', position: 'Redis', by: 'ana' });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.status).toBe('completed');
    expect(done.output?.conflicts[0]).toMatchObject({ resolution: 'human', winner: 'redis', decidedBy: 'ana' });
    expect(done.output?.answer).toMatch(/^Decision: redis \(decided by ana\)/);
    expect(done.output?.answer).toContain('answer: redis');
  });

  it('lets historical accuracy outweigh raw confidence in the vote', async () => {
    const split: Record<string, Opinion> = {
      arch: { position: 'postgres', confidence: 0.6 },
      perf: { position: 'redis', confidence: 0.7 },
      sec: { position: 'redis', confidence: 0.3 },
    };
    const models = createFakeModelPort((r) => {
      const opinion = split[r.agent] as Opinion;
      return { reply: answerJson(opinion.position, opinion.confidence) };
    });
    const machines = wireMachines({
      models: models.port,
      journal: createMemoryCallJournal(),
      planner: createFixedPlanner(panel),
      events: createMemoryEventPort(),
    });
    const input = {
      runId: 'd-2',
      task: question,
      agents,
      chains: Object.fromEntries(agents.map((a) => [a.id, models.port.chainFor(a)])),
      options: { discussion: { maxRounds: 0 } },
    };
    const neutral = createActor(machines.workflow, { input }).start();
    const trusted = createActor(machines.workflow, {
      input: { ...input, accuracy: { arch: 1, perf: 0.1, sec: 0.1 } },
    }).start();
    const [a, b] = await Promise.all([
      waitFor(neutral, (s) => s.status === 'done'),
      waitFor(trusted, (s) => s.status === 'done'),
    ]);
    expect(a.output?.conflicts[0]?.winner).toBe('redis');
    expect(b.output?.conflicts[0]?.winner).toBe('postgres');
  });
});
