import { randomUUID } from 'node:crypto';
import { type Actor, createActor, waitFor } from 'xstate';
import { SendMessage, type WorkflowOptionsInput } from '@revo/actors';
import type { Runtime } from './create-runtime';

export interface StartWorkflowInput {
  task: string;
  mode?: 'single' | 'multi' | 'workflow';
  agents?: string[];
  options?: WorkflowOptionsInput;
  runId?: string;
}

export type WorkflowActor = Actor<Runtime['machines']['workflow']>;

/**
 * Validates a task and starts its workflow actor. Bad input (an empty or oversized task, an
 * unknown agent id) throws a readable error before anything runs.
 */
export function startWorkflow(runtime: Runtime, input: StartWorkflowInput): { runId: string; actor: WorkflowActor } {
  const parsed = SendMessage.safeParse({ text: input.task, mode: input.mode ?? 'workflow', agents: input.agents });
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => i.message).join('; '));
  for (const id of parsed.data.agents ?? []) {
    if (!runtime.agents.some((a) => a.id === id)) {
      throw new InputError(`unknown agent "${id}"; known agents: ${runtime.agents.map((a) => a.id).join(', ')}`);
    }
  }
  const runId = input.runId ?? `run-${randomUUID().slice(0, 8)}`;
  const actor = createActor(runtime.machines.workflow, {
    input: {
      runId,
      task: parsed.data.text,
      mode: parsed.data.mode,
      agents: runtime.agents,
      chains: runtime.chains,
      ...(parsed.data.agents?.length ? { requestedAgents: parsed.data.agents } : {}),
      options: { ...runtime.options, ...input.options },
    },
  });
  actor.start();
  return { runId, actor };
}

/** Resolves when the run has ended or waits for a person; never rejects on a failed run. */
export function settledOrWaiting(actor: WorkflowActor) {
  return waitFor(actor, (s) => s.status === 'done' || s.matches('awaitingHuman'), {
    timeout: Number.POSITIVE_INFINITY,
  });
}

/** Input a person can correct; the CLI exits 2 and the API answers BAD_USER_INPUT. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
