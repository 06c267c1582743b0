import type { Plan } from '../domain/plan';
import type { Prediction } from '../domain/run-event';

/** Predicts how a planned workflow will go, before it runs. */
export interface PredictorPort {
  predict(input: { runId: string; task: string; plan: Plan }): Promise<Prediction>;
}

/** Until there is history, every plan gets the same honest "don't know". */
export const neutralPredictor: PredictorPort = {
  predict: async ({ plan }) => ({
    successProbability: 0.5,
    durationMs: 0,
    costUsd: 0,
    risks: plan.steps.length > 8 ? ['many steps'] : [],
    confidence: 0,
    basis: 'no history yet',
  }),
};
