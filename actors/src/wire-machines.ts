import { fromPromise } from 'xstate';
import type { Plan } from './domain/plan';
import type { Prediction, RunEventBody } from './domain/run-event';
import { createCallModel } from './machines/agent.actors';
import { agentMachine } from './machines/agent.machine';
import { conversationMachine } from './machines/conversation.machine';
import { discussionMachine } from './machines/discussion.machine';
import { executionMachine } from './machines/execution.machine';
import { workflowMachine } from './machines/workflow.machine';
import type { CallJournal } from './ports/call-journal';
import type { EventPort } from './ports/event-port';
import type { ModelPort } from './ports/model-port';
import type { PlanRequest, PlannerPort, RevisionRequest } from './ports/planner-port';
import { type PredictorPort, neutralPredictor } from './ports/predictor-port';

/** Everything the machines need from the outside world. */
export interface MachinePorts {
  models: ModelPort;
  journal: CallJournal;
  planner: PlannerPort;
  events: EventPort;
  /** @default neutralPredictor */
  predictor?: PredictorPort;
  now?: () => number;
}

/**
 * Supplies the machines' named effects from ports: the one place machine definitions and effects
 * meet (the server runtime and tests call it). The machines themselves stay pure.
 */
export function wireMachines(ports: MachinePorts) {
  const publish = (_: unknown, event: RunEventBody) => {
    ports.events.publish(event);
  };
  const predictor = ports.predictor ?? neutralPredictor;
  const agent = agentMachine.provide({
    actors: {
      callModel: createCallModel({
        models: ports.models,
        journal: ports.journal,
        ...(ports.now ? { now: ports.now } : {}),
      }),
    },
    actions: { publish },
  });
  const discussion = discussionMachine.provide({ actors: { agent }, actions: { publish } });
  const execution = executionMachine.provide({
    actors: {
      agent,
      revise: fromPromise<Plan | undefined, RevisionRequest>(({ input }) => ports.planner.revise(input)),
    },
    actions: { publish },
  });
  const workflow = workflowMachine.provide({
    actors: {
      execution,
      discussion,
      plan: fromPromise<Plan, PlanRequest>(({ input }) => ports.planner.plan(input)),
      predict: fromPromise<Prediction, { runId: string; task: string; plan: Plan }>(({ input }) =>
        predictor.predict(input),
      ),
    },
    actions: { publish },
  });
  const conversation = conversationMachine.provide({ actors: { workflow } });
  return { agent, discussion, execution, workflow, conversation };
}

export type WiredMachines = ReturnType<typeof wireMachines>;
