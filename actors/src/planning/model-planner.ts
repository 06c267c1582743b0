import { z } from 'zod';
import type { AgentProfile } from '../domain/agent-profile';
import { Plan, planProblems } from '../domain/plan';
import type { ModelPort } from '../ports/model-port';
import type { PlanRequest, PlannerPort, RevisionRequest } from '../ports/planner-port';

const PlanReply = z.object({ steps: Plan.shape.steps, rationale: z.string().max(4_000).default('') });

const planJsonSchema = {
  type: 'object',
  properties: {
    rationale: { type: 'string' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'short kebab-case id, unique in the plan' },
          agent: { type: 'string', description: 'one of the agent ids listed' },
          instruction: { type: 'string' },
          dependsOn: { type: 'array', items: { type: 'string' } },
          question: { type: 'string', description: 'same text on steps that answer one question independently' },
          insertedFor: { type: 'string' },
        },
        required: ['id', 'agent', 'instruction', 'dependsOn'],
      },
    },
  },
  required: ['steps'],
} as const;

const SYSTEM = `You plan work for a team of specialist agents. Reply with JSON only: {"rationale": string, "steps": [...]}.
Each step has an id, the agent id that does it, an instruction, and dependsOn (ids of steps whose results it needs).
Steps without dependencies between them run in parallel; keep the graph small (usually 1-6 steps) and acyclic.
For a decision between options, give 2-3 relevant agents the same instruction and the same "question" so they answer independently.`;

/**
 * The planner port over a model with structured output. A reply that is not a valid DAG over known
 * agents, or a model that fails, falls back to the offline planner, and the plan says so.
 */
export function createModelPlanner(options: {
  models: ModelPort;
  planner: AgentProfile;
  fallback: PlannerPort;
  signalTimeoutMs?: number;
}): PlannerPort {
  const chain = options.models.chainFor(options.planner).filter((m) => m.provider !== 'offline');
  const ask = async (prompt: string, agents: readonly AgentProfile[]): Promise<Plan | string> => {
    const errors: string[] = [];
    for (const model of chain) {
      try {
        const reply = await options.models.complete({
          model,
          agent: options.planner.id,
          system: SYSTEM,
          prompt,
          jsonSchema: planJsonSchema,
          signal: AbortSignal.timeout(options.signalTimeoutMs ?? 120_000),
        });
        const start = reply.text.indexOf('{');
        const parsed = PlanReply.safeParse(JSON.parse(reply.text.slice(start, reply.text.lastIndexOf('}') + 1)));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid plan');
        const plan: Plan = { ...parsed.data, planner: model.id };
        const problems = planProblems(plan, new Set(agents.map((a) => a.id)));
        if (problems.length > 0) throw new Error(problems.join('; '));
        return plan;
      } catch (error) {
        errors.push(`${model.id}: ${(error as Error).message}`);
      }
    }
    return errors.join(' | ') || 'no model to plan with';
  };
  return {
    async plan(request: PlanRequest) {
      if (chain.length === 0 || request.mode !== 'workflow') return options.fallback.plan(request);
      const result = await ask(planPrompt(request), request.agents);
      if (typeof result !== 'string') return result;
      const plan = await options.fallback.plan(request);
      return { ...plan, rationale: `${plan.rationale} (model plan rejected: ${result.slice(0, 300)})` };
    },
    async revise(request: RevisionRequest) {
      if (chain.length === 0) return options.fallback.revise(request);
      const result = await ask(revisionPrompt(request), request.agents);
      return typeof result === 'string' ? options.fallback.revise(request) : result;
    },
  };
}

const roster = (agents: readonly AgentProfile[]) => agents.map((a) => `- ${a.id}: ${a.description}`).join('\n');

function planPrompt(request: PlanRequest): string {
  return `Agents:\n${roster(request.agents)}\n\nTask: ${request.task}\n\nPlan it.`;
}

function revisionPrompt(request: RevisionRequest): string {
  return [
    `Agents:\n${roster(request.agents)}`,
    `Task: ${request.task}`,
    `Current plan: ${JSON.stringify(request.plan.steps)}`,
    `Step ${request.trigger.stepId} (${request.trigger.agent}) failed or flagged its result: ${request.trigger.reason}`,
    `These steps already started and must stay exactly as they are: ${request.started.join(', ')}.`,
    'Return the whole revised plan: add steps to repair the problem (set insertedFor to the failed step id on them) and rewire pending steps that depended on the failed step.',
  ].join('\n\n');
}
