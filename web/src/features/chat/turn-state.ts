/**
 * One conversation turn (a run) as the chat draws it, built from a GraphQL `Workflow` snapshot and
 * then kept current by run events (`turn-events.ts`). Domain payloads (`event.data`, lower-case
 * enums) are converted here into the GraphQL shapes, so every view reads one vocabulary.
 */
import type { RunEvent as DomainEvent } from '@revo/actors';
import type { ConflictFields, TurnWorkflow } from '@/lib/graphql/operations';
import type {
  AgentAnswer,
  AnswerFlag,
  ChatMode,
  Message,
  Provider,
  Resolution,
  Step,
  UsageTotals,
  WorkflowStatus,
} from '@/lib/graphql/schema-types';

type DomainOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;
type DomainAnswer = DomainOf<'step.completed'>['answer'];
type DomainUsage = DomainOf<'agent.completed'>['usage'];
type DomainTotals = DomainOf<'workflow.completed'>['usage'];
type DomainConflict = DomainOf<'conflict.detected'>['conflict'];
type DomainMessage = DomainOf<'message.added'>['message'];

/** What an agent is doing in this turn. */
export type AgentPhase = 'queued' | 'working' | 'streaming' | 'retrying' | 'done' | 'failed';

export interface AgentActivity {
  agent: string;
  phase: AgentPhase;
  /** The model of its current or last attempt. */
  model: string | null;
  /** What it is doing, in words: "answering", "round 2", "falling back to ...". */
  activity: string;
}

/** A step with what has streamed of its reply so far (raw model text; see `streamed-answer.ts`). */
export interface TurnStep extends Step {
  streamed: string;
  model: string | null;
}

/** A conflict with the discussion round that is under way, if any. */
export interface TurnConflict extends ConflictFields {
  currentRound: number | null;
}

export interface Turn {
  runId: string;
  mode: ChatMode;
  task: string;
  /** The workflow machine's state: planning, executing, discussing, awaitingHuman, ... */
  state: string;
  status: WorkflowStatus;
  steps: TurnStep[];
  conflicts: TurnConflict[];
  agents: AgentActivity[];
  answer: string;
  error: string;
  offline: boolean;
  usage: UsageTotals | null;
  /** The last stored event this turn reflects. */
  seq: number;
}

export const isEnded = (status: WorkflowStatus): boolean =>
  status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';

const upper = <T extends string>(value: string): T => value.toUpperCase().replace(/-/g, '_') as T;

export function emptyTurn(runId: string, mode: ChatMode = 'SINGLE', task = ''): Turn {
  return {
    runId,
    mode,
    task,
    state: 'planning',
    status: 'RUNNING',
    steps: [],
    conflicts: [],
    agents: [],
    answer: '',
    error: '',
    offline: false,
    usage: null,
    seq: 0,
  };
}

export function totalsFromDomain(usage: DomainTotals): UsageTotals {
  return { ...usage, localShare: usage.calls === 0 ? 1 : usage.localCalls / usage.calls };
}

export function usageFromDomain(usage: DomainUsage) {
  return { ...usage, provider: upper<Provider>(usage.provider), offline: usage.provider === 'offline' };
}

export function answerFromDomain(answer: DomainAnswer): AgentAnswer {
  const usage = usageFromDomain(answer.usage);
  return {
    answer: answer.answer,
    position: answer.position,
    confidence: answer.confidence,
    rationale: answer.rationale,
    flag: upper<AnswerFlag>(answer.flag),
    model: usage.model,
    offline: usage.offline,
    usage,
  };
}

/** The positions a person can pick between: each distinct one, in the order the agents took them. */
export const optionsOf = (positions: readonly { position: string }[]): string[] => [
  ...new Set(positions.map((p) => p.position)),
];

export function conflictFromDomain(conflict: DomainConflict): TurnConflict {
  return {
    id: conflict.id,
    question: conflict.question,
    status: upper(conflict.status),
    steps: conflict.steps,
    positions: conflict.positions,
    options: optionsOf(conflict.positions),
    tally: conflict.tally,
    winner: conflict.winner ?? null,
    resolution: conflict.resolution ? upper<Resolution>(conflict.resolution) : null,
    decidedBy: conflict.decidedBy ?? null,
    discussion: { rounds: conflict.rounds },
    currentRound: null,
  };
}

export function messageFromDomain(message: DomainMessage): Message {
  return {
    id: message.id,
    role: upper(message.role),
    content: message.content,
    mode: upper(message.mode),
    runId: message.runId ?? null,
    status: message.status ? upper<WorkflowStatus>(message.status) : null,
    agents: message.agents,
    usage: message.usage ? totalsFromDomain(message.usage) : null,
    offline: message.offline,
  };
}

/** A planned step (from `workflow.planned`, or one a revision inserted) before it has run. */
export interface PlannedStep {
  id: string;
  agent: string;
  instruction: string;
  dependsOn: readonly string[];
  question?: string | undefined;
  insertedFor?: string | undefined;
}

export function stepFromPlan(step: PlannedStep): TurnStep {
  return {
    id: step.id,
    agent: step.agent,
    instruction: step.instruction,
    dependsOn: [...step.dependsOn],
    question: step.question ?? null,
    insertedFor: step.insertedFor ?? null,
    status: 'PENDING',
    answer: null,
    error: null,
    startedAt: null,
    endedAt: null,
    elapsedMs: null,
    streamed: '',
    model: null,
  };
}

const phaseOfStep: Record<Step['status'], AgentPhase> = {
  PENDING: 'queued',
  RUNNING: 'working',
  SUCCEEDED: 'done',
  FAILED: 'failed',
  SKIPPED: 'done',
  CANCELLED: 'failed',
};

/** The turn as a snapshot (a GraphQL `Workflow`) shows it: the state to apply later events to. */
export function turnFromWorkflow(workflow: TurnWorkflow): Turn {
  const steps = workflow.steps.map((step): TurnStep => ({ ...step, streamed: '', model: step.answer?.model ?? null }));
  const agents = new Map<string, AgentActivity>();
  for (const step of steps) {
    const phase = phaseOfStep[step.status];
    const known = agents.get(step.agent);
    if (known && (known.phase === 'working' || phase !== 'working')) continue;
    agents.set(step.agent, { agent: step.agent, phase, model: step.model, activity: activityOf(phase) });
  }
  return {
    runId: workflow.runId,
    mode: workflow.mode,
    task: workflow.task,
    state: workflow.state,
    status: workflow.status,
    steps,
    conflicts: workflow.conflicts.map((c) => ({ ...c, currentRound: null })),
    agents: [...agents.values()],
    answer: workflow.answer,
    error: workflow.error,
    offline: workflow.offline,
    usage: workflow.usage,
    seq: workflow.seq,
  };
}

export function activityOf(phase: AgentPhase): string {
  switch (phase) {
    case 'queued':
      return 'waiting';
    case 'working':
      return 'thinking';
    case 'streaming':
      return 'answering';
    case 'retrying':
      return 'retrying';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
  }
}

/**
 * A discussion's model calls run as steps named `<conflict>.r<round>.<agent>`; they are not steps
 * of the plan. Returns the conflict and round, or `null` for a plan step.
 */
export function discussionStepOf(turn: Turn, stepId: string): { conflictId: string; round: number } | null {
  const match = /^(.+)\.r(\d+)\.[^.]+$/.exec(stepId);
  if (!match || !turn.conflicts.some((c) => c.id === match[1])) return null;
  return { conflictId: match[1] as string, round: Number(match[2]) };
}

/** The modes of a turn, as `workflow.created` spells them in lower case. */
export const modeFromDomain = (mode: string): ChatMode => upper<ChatMode>(mode);
