import { readFile } from 'node:fs/promises';
import {
  type AgentProfile,
  type EventPort,
  type ModelPort,
  type ModelProvider,
  type PlannerPort,
  type PredictorPort,
  type HistoryPort,
  type SelectionContext,
  type WorkflowOptionsInput,
  builtinAgents,
  createMemoryCallJournal,
  createMemoryEventPort,
  createModelPlanner,
  createOfflineModel,
  createOfflinePlanner,
  mergeAgents,
  neutralPredictor,
  parseAgentConfig,
  wireMachines,
} from '@revo/actors';
import { createModelPort } from '../adapters/models/model-router';
import { probeOllama } from '../adapters/models/ollama-probe';
import { createOllamaProvider } from '../adapters/models/ollama-provider';
import type { Env } from '../env';
import { replicaIdOf } from './ownership';

export interface RuntimeOverrides {
  /** Replace or add model providers (tests, benchmarks). */
  providers?: Partial<Record<ModelProvider['provider'], ModelProvider>>;
  models?: ModelPort;
  /**
   * Wraps the model port the agents and planner call (limits, or handing calls to workers); the
   * unwrapped port stays available as `localModels` (what a worker runs calls on).
   */
  wrapModels?: (local: ModelPort) => ModelPort;
  planner?: PlannerPort;
  predictor?: PredictorPort;
  /** Agents' past outcomes for the selector (analytics); neutral without. */
  history?: HistoryPort;
}

/** What the runtime found about models at start-up; printed by the CLI and the server. */
export interface ModelStatus {
  ollamaBaseUrl: string;
  ollamaReachable: boolean;
  ollamaModels: string[];
  ollamaError?: string;
  offlineOnly: boolean;
  /** Whether a call the Ollama models all fail falls back to the offline model (REVO_OFFLINE_FALLBACK). */
  offlineFallback: boolean;
}

/**
 * Builds one reVo process from its settings: agents (built-in plus the user's file), the model
 * port (Ollama first, the offline model last), the planner, the journal, the event port, and the
 * machines wired to them.
 */
export async function createRuntime(env: Env, overrides: RuntimeOverrides = {}) {
  const agents = await loadAgents(env.REVO_AGENTS_FILE);
  const probe = env.REVO_OFFLINE
    ? { reachable: false, models: [], error: 'REVO_OFFLINE is set' }
    : await probeOllama(env.OLLAMA_BASE_URL, { timeoutMs: env.REVO_OLLAMA_PROBE_MS });
  const providers = {
    offline: createOfflineModel(),
    ollama: createOllamaProvider({ baseUrl: env.OLLAMA_BASE_URL, headers: { 'x-revo-replica': replicaIdOf(env) } }),
    ...overrides.providers,
  };
  const localModels =
    overrides.models ??
    createModelPort(
      {
        ollamaBaseUrl: env.OLLAMA_BASE_URL,
        ollamaReachable: probe.reachable,
        offlineFallback: env.REVO_OFFLINE_FALLBACK,
        chains: {
          ...(env.REVO_MODELS_REASONING ? { reasoning: env.REVO_MODELS_REASONING } : {}),
          ...(env.REVO_MODELS_GENERAL ? { general: env.REVO_MODELS_GENERAL } : {}),
          ...(env.REVO_MODELS_FAST ? { fast: env.REVO_MODELS_FAST } : {}),
        },
      },
      providers,
    );
  const models = overrides.wrapModels ? overrides.wrapModels(localModels) : localModels;
  const history = overrides.history;
  const selectionContext = async (): Promise<SelectionContext> =>
    history ? { history: await history.snapshot() } : {};
  const offlinePlanner = createOfflinePlanner(selectionContext);
  const plannerAgent = agents.find((a) => a.id === 'architect') ?? (agents[0] as AgentProfile);
  const planner =
    overrides.planner ??
    (env.REVO_PLANNER === 'offline' || (env.REVO_PLANNER === 'auto' && !probe.reachable)
      ? offlinePlanner
      : createModelPlanner({ models, planner: plannerAgent, fallback: offlinePlanner }));
  const events = createMemoryEventPort();
  const journal = createMemoryCallJournal();
  const machines = wireMachines({ models, journal, planner, events });
  const status: ModelStatus = {
    ollamaBaseUrl: env.OLLAMA_BASE_URL,
    ollamaReachable: probe.reachable,
    ollamaModels: probe.models,
    ...(probe.error ? { ollamaError: probe.error } : {}),
    offlineOnly: agents.every((a) => models.chainFor(a).every((m) => m.provider === 'offline')),
    offlineFallback: env.REVO_OFFLINE_FALLBACK,
  };
  const options: WorkflowOptionsInput = {
    concurrency: env.REVO_CONCURRENCY,
    timeoutMs: env.REVO_TIMEOUT_MS,
    budgets: {
      maxSteps: env.REVO_MAX_STEPS,
      maxTokens: env.REVO_MAX_TOKENS,
      maxCostUsd: env.REVO_MAX_COST_USD,
      maxDurationMs: env.REVO_MAX_DURATION_MS,
    },
    discussion: { maxRounds: env.REVO_DISCUSSION_ROUNDS },
  };
  const chains = Object.fromEntries(agents.map((a) => [a.id, models.chainFor(a)]));
  return {
    agents,
    models,
    localModels,
    planner,
    predictor: overrides.predictor ?? neutralPredictor,
    selectionContext,
    events: events as EventPort & typeof events,
    journal,
    machines,
    status,
    options,
    chains,
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/** Built-in agents plus the user's file; a bad file throws `AgentConfigError` naming each field. */
export async function loadAgents(file: string | undefined): Promise<AgentProfile[]> {
  if (!file) return [...builtinAgents];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the agents file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return [...mergeAgents(builtinAgents, parseAgentConfig(text, file).agents)];
}
