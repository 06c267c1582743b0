import type { AgentProfile } from '../domain/agent-profile';
import type { Conflict } from '../domain/conflict';
import type { Plan } from '../domain/plan';
import type { Prediction } from '../domain/run-event';
import type { UsageTotals } from '../domain/usage';
import type { ModelRef } from '../ports/model-port';
import type { Mode } from '../ports/planner-port';
import type { StepStates } from './step-graph';
import type { WorkflowOptions, WorkflowOptionsInput } from './workflow-options';

export interface WorkflowInput {
  runId: string;
  task: string;
  mode?: Mode;
  /** The registry as this run sees it. */
  agents: AgentProfile[];
  /** Model chain per agent id, local first. */
  chains: Record<string, ModelRef[]>;
  requestedAgents?: string[];
  /** A plan to run as it is (a saved template, a retry); skips the planner. */
  plan?: Plan;
  options?: WorkflowOptionsInput;
  /** Historical accuracy per agent for weighting votes, 0..1. */
  accuracy?: Record<string, number>;
}

export type WorkflowEvent =
  | { type: 'workflow.cancel'; reason?: string }
  | { type: 'conflict.decide'; conflictId: string; position: string; by?: string }
  | { type: `xstate.done.actor.${string}`; output: unknown; actorId: string };

export type WorkflowStatus = 'completed' | 'failed' | 'cancelled';

export interface WorkflowOutput {
  status: WorkflowStatus;
  answer: string;
  error: string;
  plan: Plan | undefined;
  steps: StepStates;
  conflicts: Conflict[];
  usage: UsageTotals;
  localShare: number;
}

export interface WorkflowContext {
  status: WorkflowStatus | 'running' | 'awaitingHuman';
  runId: string;
  task: string;
  mode: Mode;
  agents: AgentProfile[];
  chains: Record<string, ModelRef[]>;
  requestedAgents: string[] | undefined;
  accuracy: Record<string, number>;
  options: WorkflowOptions;
  plan: Plan | undefined;
  prediction: Prediction | undefined;
  /** Mirrors the execution child while it runs, then holds the final step states. */
  steps: StepStates;
  usage: UsageTotals;
  conflicts: Conflict[];
  revisions: number;
  answer: string;
  error: string;
}
