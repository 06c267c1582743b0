import type { AgentProfile } from '../domain/agent-profile';
import type { AgentAnswer } from '../domain/agent-answer';
import type { Plan } from '../domain/plan';

export type Mode = 'single' | 'multi' | 'workflow';

export interface PlanRequest {
  runId: string;
  task: string;
  mode: Mode;
  agents: AgentProfile[];
  /** Agents the person chose; the planner uses these instead of selecting. */
  requestedAgents?: string[];
}

/** Why the planner is asked to revise: a step failed or flagged its own result. */
export interface RevisionRequest {
  runId: string;
  task: string;
  plan: Plan;
  agents: AgentProfile[];
  trigger: { stepId: string; agent: string; reason: string; answer?: AgentAnswer };
  /** Steps that already ran; the planner may only change what has not started. */
  started: string[];
  revision: number;
}

/** Turns a description into a DAG of steps, and revises the rest of it when a step fails. */
export interface PlannerPort {
  plan(request: PlanRequest): Promise<Plan>;
  /** Returns the new plan, or `undefined` when nothing sensible can be changed. */
  revise(request: RevisionRequest): Promise<Plan | undefined>;
}
