import type { WorkflowRecord } from '@revo/actors';

/** One line of a run's bill. */
export interface CostLine {
  agent: string;
  model: string;
  local: boolean;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

/**
 * A run's cost per agent and model from its steps' answers; whatever the totals hold beyond the
 * steps (discussion rounds, retried attempts) is one more line, so the lines always add up.
 */
export function costBreakdown(workflow: WorkflowRecord): CostLine[] {
  const lines = new Map<string, CostLine>();
  for (const step of workflow.steps) {
    const usage = step.answer?.usage;
    if (!usage) continue;
    const key = `${step.agent}\u0000${usage.model}`;
    const line = lines.get(key) ?? {
      agent: step.agent,
      model: usage.model,
      local: usage.local,
      calls: 0,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
    };
    line.calls += 1;
    line.tokensIn += usage.tokensIn;
    line.tokensOut += usage.tokensOut;
    line.costUsd += usage.costUsd;
    lines.set(key, line);
  }
  const result = [...lines.values()].sort((a, b) => b.costUsd - a.costUsd || a.agent.localeCompare(b.agent));
  const sum = (f: (l: CostLine) => number) => result.reduce((s, l) => s + f(l), 0);
  const rest = {
    calls: workflow.usage.calls - sum((l) => l.calls),
    tokensIn: workflow.usage.tokensIn - sum((l) => l.tokensIn),
    tokensOut: workflow.usage.tokensOut - sum((l) => l.tokensOut),
    costUsd: Math.max(0, workflow.usage.costUsd - sum((l) => l.costUsd)),
  };
  if (rest.calls > 0) {
    result.push({ agent: 'discussion', model: 'mixed', local: rest.costUsd === 0, ...rest });
  }
  return result;
}
