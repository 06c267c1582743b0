import type { Conflict, RunEvent, UsageTotals, WorkflowContext } from '@revo/actors';
import { localShare } from '@revo/actors';

export interface CostLine {
  agent: string;
  model: string;
  local: boolean;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
}

/** The result of one run as the CLI's `--json` prints it and checks outside the repo read it. */
export interface RunReport {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled' | 'awaitingHuman';
  task: string;
  mode: string;
  planner: string;
  steps: {
    id: string;
    agent: string;
    dependsOn: string[];
    status: string;
    position?: string;
    confidence?: number;
    model?: string;
    error?: string;
  }[];
  answer: string;
  error?: string;
  conflicts: (Pick<Conflict, 'id' | 'question' | 'status' | 'resolution' | 'winner' | 'positions' | 'tally'> & {
    rounds: number;
  })[];
  usage: UsageTotals;
  localShare: number;
  offline: boolean;
  costBreakdown: CostLine[];
}

/** Builds the report from the workflow's context and the run's events (for per-call usage). */
export function runReport(
  context: WorkflowContext,
  status: RunReport['status'],
  events: readonly RunEvent[],
): RunReport {
  const plan = context.plan;
  const lines = new Map<string, CostLine>();
  for (const event of events) {
    if (event.type !== 'agent.completed' || event.runId !== context.runId) continue;
    const key = `${event.agent}|${event.usage.model}`;
    const line = lines.get(key) ?? {
      agent: event.agent,
      model: event.usage.model,
      local: event.usage.local,
      calls: 0,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      latencyMs: 0,
    };
    line.calls += 1;
    line.tokensIn += event.usage.tokensIn;
    line.tokensOut += event.usage.tokensOut;
    line.costUsd += event.usage.costUsd;
    line.latencyMs += event.usage.latencyMs;
    lines.set(key, line);
  }
  return {
    runId: context.runId,
    status,
    task: context.task,
    mode: context.mode,
    planner: plan?.planner ?? 'none',
    steps: (plan?.steps ?? []).map((s) => {
      const state = context.steps[s.id];
      return {
        id: s.id,
        agent: s.agent,
        dependsOn: [...s.dependsOn],
        status: state?.status ?? 'pending',
        ...(state?.answer
          ? { position: state.answer.position, confidence: state.answer.confidence, model: state.answer.usage.model }
          : {}),
        ...(state?.error ? { error: state.error } : {}),
      };
    }),
    answer: context.answer,
    ...(context.error ? { error: context.error } : {}),
    conflicts: context.conflicts.map((c) => ({
      id: c.id,
      question: c.question,
      status: c.status,
      resolution: c.resolution,
      winner: c.winner,
      positions: c.positions,
      tally: c.tally,
      rounds: Math.max(0, c.rounds.length - 1),
    })),
    usage: context.usage,
    localShare: localShare(context.usage),
    offline: context.usage.offlineCalls > 0,
    costBreakdown: [...lines.values()].sort((a, b) => a.agent.localeCompare(b.agent) || a.model.localeCompare(b.model)),
  };
}
