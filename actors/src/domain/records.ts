import { z } from 'zod';
import { AgentAnswer } from './agent-answer';
import { Conflict } from './conflict';
import { ChatMode, Message } from './message';
import { Plan, PlannedStep, StepStatus } from './plan';
import { UsageTotals } from './usage';

/** What reVo expects of a workflow before it runs. */
export const Prediction = z.object({
  successProbability: z.number().min(0).max(1),
  durationMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  risks: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  basis: z.string(),
});
export type Prediction = z.infer<typeof Prediction>;

/** One step of a workflow as the API shows it: the planned node plus how it went. */
export const StepRecord = PlannedStep.extend({
  status: StepStatus,
  answer: AgentAnswer.optional(),
  error: z.string().optional(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const WorkflowRecordStatus = z.enum(['planned', 'running', 'awaitingHuman', 'completed', 'failed', 'cancelled']);
export type WorkflowRecordStatus = z.infer<typeof WorkflowRecordStatus>;

/**
 * A workflow as the API reads it, kept by the actor host from the workflow actor's context. `seq`
 * is the run's event sequence this record reflects: a subscriber continues from there.
 */
export const WorkflowRecord = z.object({
  runId: z.string(),
  conversationId: z.string().optional(),
  task: z.string(),
  mode: ChatMode,
  status: WorkflowRecordStatus,
  /** The machine's current state (planning, running, discussing, ...). */
  state: z.string(),
  plan: Plan.optional(),
  prediction: Prediction.optional(),
  steps: z.array(StepRecord),
  conflicts: z.array(Conflict),
  usage: UsageTotals,
  localShare: z.number(),
  answer: z.string(),
  error: z.string(),
  /** True when any answer of this run came from the offline model. */
  offline: z.boolean(),
  requestedAgents: z.array(z.string()).optional(),
  templateId: z.string().optional(),
  retryOf: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().optional(),
  seq: z.number().int().nonnegative(),
});
export type WorkflowRecord = z.infer<typeof WorkflowRecord>;

export const ConversationStatus = z.enum(['idle', 'responding', 'awaitingHuman']);

/** A chat as the API reads it. */
export const ConversationRecord = z.object({
  id: z.string(),
  title: z.string(),
  status: ConversationStatus,
  messages: z.array(Message),
  /** The turn under way, if any. */
  activeRunId: z.string().optional(),
  /** The conflict waiting for a person's decision, if any. */
  awaiting: Conflict.optional(),
  queued: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

/** A saved graph from the builder: a plan plus where each node sits on the canvas. */
export const WorkflowTemplate = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  plan: Plan,
  layout: z.record(z.string(), z.object({ x: z.number(), y: z.number() })),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type WorkflowTemplate = z.infer<typeof WorkflowTemplate>;

export const Rating = z.enum(['up', 'down']);

/** A person's verdict on an answer (a step's, or a whole run's). */
export const Feedback = z.object({
  id: z.string(),
  runId: z.string(),
  stepId: z.string().optional(),
  agent: z.string().optional(),
  rating: Rating,
  comment: z.string().max(4_000).default(''),
  at: z.number(),
});
export type Feedback = z.infer<typeof Feedback>;

/** What one agent is doing now, across all runs of this deployment. */
export const AgentStatus = z.object({
  agent: z.string(),
  state: z.enum(['idle', 'working']),
  active: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  lastModel: z.string().optional(),
  lastRunId: z.string().optional(),
  updatedAt: z.number(),
});
export type AgentStatus = z.infer<typeof AgentStatus>;
