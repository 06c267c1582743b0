/** reVo as the benchmark runs it: the real wired machines, a port over the shared fake model. */
import {
  type EventPort,
  type ModelPort,
  type ModelRef,
  type Plan,
  type RunEvent,
  type WorkflowOptionsInput,
  type WorkflowOutput,
  builtinAgents,
  createMemoryCallJournal,
  wireMachines,
} from '@revo/actors';
import { createActor, toPromise } from 'xstate';
import type { ModelFn } from './workload';

const benchModel: ModelRef = { id: 'fake:bench', provider: 'fake', name: 'bench', local: true };

/**
 * Builds a runner for one plan. The event port stamps and counts events but keeps none (the
 * memory port would keep every event of every run); the journal is the real in-memory one.
 */
export function revoRunner(model: ModelFn, plan: Plan, options: WorkflowOptionsInput = {}) {
  const models: ModelPort = {
    chainFor: () => [benchModel],
    price: () => 0,
    complete: async (request) => {
      const text = await model(request.agent, request.prompt);
      return { text, tokensIn: Math.ceil(request.prompt.length / 4), tokensOut: Math.ceil(text.length / 4) };
    },
  };
  let published = 0;
  const events: EventPort = {
    publish: (body) => ({ ...body, at: 0, seq: ++published }) as RunEvent,
  };
  const machines = wireMachines({
    models,
    journal: createMemoryCallJournal(),
    planner: {
      plan: () => Promise.reject(new Error('the benchmark gives the plan')),
      revise: async () => undefined,
    },
    events,
  });
  const agents = [...builtinAgents];
  const chains = Object.fromEntries(agents.map((agent) => [agent.id, [benchModel]]));
  let runs = 0;
  const run = async (): Promise<WorkflowOutput> => {
    const actor = createActor(machines.workflow, {
      input: { runId: `bench-${++runs}`, task: 'Review the change.', agents, chains, plan, options },
    });
    const done = toPromise(actor);
    actor.start();
    const output = await done;
    if (output.status !== 'completed') throw new Error(`reVo run ended ${output.status}: ${output.error}`);
    return output;
  };
  return { run, eventsPublished: () => published, runs: () => runs };
}
