import type { Plan, PlanInput } from '../domain/plan';
import { Plan as PlanSchema } from '../domain/plan';
import type { PlannerPort, RevisionRequest } from '../ports/planner-port';

/** A planner for tests: always the given plan; revisions from the given function (none by default). */
export function createFixedPlanner(
  plan: PlanInput,
  revise: (request: RevisionRequest) => PlanInput | undefined = () => undefined,
): PlannerPort & { revisions: RevisionRequest[] } {
  const revisions: RevisionRequest[] = [];
  return {
    revisions,
    plan: async () => PlanSchema.parse(plan) as Plan,
    revise: async (request) => {
      revisions.push(request);
      const next = revise(request);
      return next ? (PlanSchema.parse(next) as Plan) : undefined;
    },
  };
}
