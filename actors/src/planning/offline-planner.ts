import type { Plan, PlannedStep } from '../domain/plan';
import { asAgentId, asStepId } from '../domain/ids';
import { decisionOptions } from '../models/decision-options';
import type { PlanRequest, PlannerPort, RevisionRequest } from '../ports/planner-port';
import { type SelectionContext, selectAgents } from '../selector/agent-selector';

/** Where each kind of job sits in a pipeline: a step waits for the nearest earlier phase. */
const PHASE: Record<string, number> = {
  architect: 0,
  browser: 1,
  debugger: 1,
  'code-generator': 1,
  security: 2,
  performance: 2,
  tester: 3,
  documenter: 4,
  deployer: 5,
};
/** Agents whose work a tester should check when the task asked for nothing more. */
const NEEDS_CHECK = new Set(['code-generator', 'debugger']);
const PANEL_SIZE = 3;
/** Agents with a stake in technical choices; a decision panel is drawn from them first. */
const ADVISERS = new Set(['architect', 'performance', 'security', 'code-generator', 'deployer', 'debugger']);

type Draft = Omit<PlannedStep, 'id' | 'agent' | 'dependsOn'> & { id: string; agent: string; dependsOn: string[] };

/**
 * The planner that needs no model: the selector picks agents, a compound task becomes one step per
 * job ordered by pipeline phase (same phase in parallel), a decision question becomes a panel of
 * agents answering it side by side, and a failed check gets a debugger step and a re-check.
 */
export function createOfflinePlanner(context: () => Promise<SelectionContext> = async () => ({})): PlannerPort {
  return {
    plan: async (request) => offlinePlan(request, await context()),
    revise: async (request) => offlineRevision(request, await context()),
  };
}

export function offlinePlan(request: PlanRequest, ctx: SelectionContext = {}): Plan {
  const { task, mode, agents } = request;
  const selection = selectAgents(task, agents, ctx);
  const requested = request.requestedAgents?.filter((id) => agents.some((a) => a.id === id)) ?? [];
  const ranked = selection.ranking.map((r) => r.agent as string);
  if (mode === 'single') {
    const agent = requested[0] ?? ranked[0] ?? 'code-generator';
    return finish([{ id: agent, agent, instruction: task, dependsOn: [] }], `single: ${agent}`);
  }
  const decision = decisionOptions(task).length >= 2;
  if (mode === 'multi' || decision) {
    const pool = decision ? [...ranked.filter((id) => ADVISERS.has(id)), ...ranked] : ranked;
    const panel = requested.length >= 2 ? requested : unique([...requested, ...pool]).slice(0, PANEL_SIZE);
    const steps = panel.map((agent) => ({ id: agent, agent, instruction: task, dependsOn: [], question: task }));
    return finish(steps, `${mode === 'multi' ? 'multi-agent' : 'decision'} panel: ${panel.join(', ')}`);
  }
  const jobs = requested.length > 0 ? requested.map((agent) => ({ agent, text: task })) : jobsOf(selection, task);
  if (jobs.length === 1 && NEEDS_CHECK.has(jobs[0]?.agent ?? '')) {
    jobs.push({ agent: 'tester', text: `Test the result of: ${task}` });
  }
  return finish(pipeline(jobs), `pipeline: ${jobs.map((j) => j.agent).join(' -> ')}`);
}

function jobsOf(selection: ReturnType<typeof selectAgents>, task: string): { agent: string; text: string }[] {
  const jobs: { agent: string; text: string }[] = [];
  for (const agent of selection.chosen) {
    const clauses = selection.clauses.filter((c) => c.agent === agent).map((c) => c.text);
    jobs.push({ agent, text: selection.chosen.length === 1 || clauses.length === 0 ? task : clauses.join('; ') });
  }
  return jobs;
}

/** Orders jobs by phase; each step depends on every step of the nearest earlier phase present. */
function pipeline(jobs: { agent: string; text: string }[]): Draft[] {
  const phases = [...new Set(jobs.map((j) => PHASE[j.agent] ?? 2))].sort((a, b) => a - b);
  const byPhase = new Map<number, Draft[]>();
  for (const job of jobs) {
    const phase = PHASE[job.agent] ?? 2;
    const previous = phases.filter((p) => p < phase).at(-1);
    const dependsOn = previous === undefined ? [] : (byPhase.get(previous) ?? []).map((d) => d.id);
    const draft: Draft = { id: job.agent, agent: job.agent, instruction: job.text, dependsOn };
    byPhase.set(phase, [...(byPhase.get(phase) ?? []), draft]);
  }
  return phases.flatMap((p) => byPhase.get(p) ?? []);
}

export function offlineRevision(request: RevisionRequest, ctx: SelectionContext = {}): Plan | undefined {
  const { plan, trigger } = request;
  const failed = plan.steps.find((s) => s.id === trigger.stepId);
  if (!failed) return undefined;
  const taken = new Set(plan.steps.map((s) => s.id as string));
  const fresh = (base: string) => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  };
  const added: Draft[] = [];
  if (trigger.answer?.flag === 'failed-check' || (trigger.answer && ['tester', 'security'].includes(trigger.agent))) {
    const fix = fresh(`fix-${failed.id}`);
    added.push(
      {
        id: fix,
        agent: 'debugger',
        instruction: `Find and fix why ${failed.id} failed: ${trigger.reason}`,
        dependsOn: [failed.id],
        insertedFor: failed.id,
      },
      {
        id: fresh(`recheck-${failed.id}`),
        agent: failed.agent,
        instruction: failed.instruction,
        dependsOn: [fix],
        insertedFor: failed.id,
      },
    );
  } else if (trigger.answer?.flag === 'needs-review') {
    added.push({
      id: fresh(`review-${failed.id}`),
      agent: 'architect',
      instruction: `Review the result of ${failed.id}: ${trigger.reason}`,
      dependsOn: [failed.id],
      insertedFor: failed.id,
    });
  } else {
    const alternative = selectAgents(failed.instruction, request.agents, ctx).ranking.find(
      (r) => r.agent !== failed.agent,
    );
    if (!alternative) return undefined;
    added.push({
      id: fresh(`retry-${failed.id}`),
      agent: alternative.agent,
      instruction: failed.instruction,
      dependsOn: [...failed.dependsOn],
      insertedFor: failed.id,
    });
  }
  const last = (added.at(-1) as Draft).id;
  const started = new Set(request.started);
  const rewired = plan.steps.map((s) =>
    !started.has(s.id) && s.dependsOn.includes(failed.id) && !s.insertedFor
      ? { ...s, dependsOn: s.dependsOn.map((d) => (d === failed.id ? asStepId(last) : d)) }
      : s,
  );
  return {
    steps: [...rewired, ...added.map(toStep)],
    rationale: `${plan.rationale}; revision ${request.revision}: ${added.map((a) => `${a.id} (${a.agent})`).join(', ')} for ${failed.id}`,
    planner: plan.planner,
  };
}

const unique = (ids: string[]) => [...new Set(ids)];

function finish(drafts: Draft[], rationale: string): Plan {
  return { steps: drafts.map(toStep), rationale, planner: 'offline' };
}

function toStep(d: Draft): PlannedStep {
  return {
    id: asStepId(d.id),
    agent: asAgentId(d.agent),
    instruction: d.instruction,
    dependsOn: d.dependsOn.map(asStepId),
    ...(d.question ? { question: d.question } : {}),
    ...(d.insertedFor ? { insertedFor: asStepId(d.insertedFor) } : {}),
  };
}
