import { Prediction, type PredictorPort } from '@revo/actors';
import type { PlanShapeInput, PredictionHistory } from './features';
import { type PredictionModel, type TrainOptions, trainPredictionModel } from './train';

export interface HistoryPredictorOptions {
  /** The finished runs (`workflow-history`) and the agents' recent step outcomes, read when (re)training. */
  loadHistory: () => Promise<PredictionHistory>;
  /**
   * Retrain after this many predictions (each starts a run, so about as many new runs) or this many
   * milliseconds since the last training, whichever comes first; a bare number is `runs`.
   * @default { runs: 20, ms: 600_000 }
   */
  retrainEvery?: number | { runs?: number; ms?: number };
  /** The task's category, the same function that fills `task_category` (e.g. the selector's primary agent). */
  categorise?: (task: string) => string;
  train?: TrainOptions;
  /** @default Date.now */
  now?: () => number;
}

/** A PredictorPort over the run history, plus `refresh()` to retrain now. */
export interface HistoryPredictor extends PredictorPort {
  refresh(): Promise<PredictionModel>;
  /**
   * A run has finished: while history is small (under 200 runs) every new run makes the next
   * prediction retrain; after that, every `retrainEvery.runs`.
   */
  runFinished(): void;
}

/** Below this many runs in the model, each finished run is worth retraining for. */
const SMALL_HISTORY = 200;

/** After a failed load, predictions do not wait on another attempt for this long. */
const RETRY_AFTER_MS = 30_000;

const unavailable = (error: unknown): Prediction => ({
  successProbability: 0.5,
  durationMs: 0,
  costUsd: 0,
  risks: [],
  confidence: 0,
  basis: `history unavailable (${error instanceof Error ? error.message : String(error)}): no prediction`,
});

/**
 * Predicts from history: trains on first use, keeps the model, and retrains (awaited, so a
 * prediction never comes from a model older than `retrainEvery`) once enough runs or time passed.
 * When history cannot be read it keeps the last model, or answers an honest "don't know".
 */
export function createHistoryPredictor(options: HistoryPredictorOptions): HistoryPredictor {
  const { loadHistory, categorise, train, now = Date.now } = options;
  const every = typeof options.retrainEvery === 'number' ? { runs: options.retrainEvery } : options.retrainEvery;
  const maxRuns = every?.runs ?? 20;
  const maxMs = every?.ms ?? 600_000;
  let model: PredictionModel | undefined;
  let trainedAt = 0;
  let predictions = 0;
  let finished = 0;
  let failedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<PredictionModel> | undefined;

  const refresh = (): Promise<PredictionModel> => {
    pending ??= (async () => {
      try {
        const next = trainPredictionModel(await loadHistory(), train);
        model = next;
        trainedAt = now();
        predictions = 0;
        finished = 0;
        return next;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  return {
    refresh,
    runFinished() {
      finished += 1;
    },
    async predict({ task, plan }) {
      const learning = finished > 0 && ((model?.runs ?? 0) < SMALL_HISTORY || finished >= maxRuns);
      const stale = !model || learning || predictions >= maxRuns || now() - trainedAt >= maxMs;
      let error: unknown;
      if (stale && now() - failedAt >= RETRY_AFTER_MS) {
        try {
          await refresh();
        } catch (caught) {
          failedAt = now();
          error = caught;
        }
      }
      if (!model) return unavailable(error ?? 'the last load failed');
      predictions += 1;
      return Prediction.parse(model.predict({ task, plan, category: categorise?.(task) }));
    },
  };
}

/** What `predictFromHistory` may be told beyond the plan; anything left out is inferred from the plan. */
export interface PredictFromHistoryOptions {
  mode?: string;
  models?: readonly string[];
  categorise?: (task: string) => string;
  train?: TrainOptions;
}

/** Trains on `history` and predicts one plan: the pure path the CLI's `revo predict` takes. */
export function predictFromHistory(
  plan: string | PlanShapeInput,
  task: string,
  history: PredictionHistory,
  options: PredictFromHistoryOptions = {},
): Prediction {
  const model = trainPredictionModel(history, options.train);
  const { mode, models, categorise } = options;
  return Prediction.parse(model.predict({ task, plan, mode, models, category: categorise?.(task) }));
}
