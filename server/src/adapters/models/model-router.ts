import { z } from 'zod';
import type { AgentProfile } from '@revo/actors';
import { Usage } from '@revo/actors';
import type { ModelPort, ModelProvider, ModelRef, ModelRequest } from '@revo/actors';
import { priceOf } from './model-prices';

type ProviderName = Usage['provider'];

/** The deterministic model that answers when no real one can; always last in a chain. */
export const OFFLINE_MODEL_ID = 'offline:revo-offline';

/** @default for `ModelRouterConfig.ollamaBaseUrl` */
export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434';

/** Models tried per tier, best first; every entry local so a default install costs nothing. */
export const DEFAULT_MODEL_CHAINS = {
  reasoning: ['ollama:deepseek-r1:8b', 'ollama:llama3.1:8b'],
  general: ['ollama:llama3.1:8b', 'ollama:deepseek-r1:8b'],
  fast: ['ollama:llama3.2:3b', 'ollama:llama3.1:8b'],
} as const satisfies Record<AgentProfile['modelPreference']['tier'], readonly string[]>;

const LOCAL_PROVIDERS: ReadonlySet<ProviderName> = new Set(['ollama', 'offline', 'fake']);

/** `<provider>:<name>` where the name may hold colons itself (`ollama:deepseek-r1:8b`). */
export const ModelId = z
  .string()
  .regex(/^[a-z]+:.+$/, 'a model id is <provider>:<name>, e.g. ollama:llama3.1:8b')
  .refine((id) => Usage.shape.provider.safeParse(id.slice(0, id.indexOf(':'))).success, {
    message: `unknown model provider; one of ${Usage.shape.provider.options.join(', ')}`,
  });

/** How the router picks models. Env parsing happens in `env.ts`; this validates the result. */
export const ModelRouterConfig = z.object({
  ollamaBaseUrl: z.url().default(DEFAULT_OLLAMA_BASE_URL),
  chains: z
    .object({
      reasoning: z.array(ModelId).default([...DEFAULT_MODEL_CHAINS.reasoning]),
      general: z.array(ModelId).default([...DEFAULT_MODEL_CHAINS.general]),
      fast: z.array(ModelId).default([...DEFAULT_MODEL_CHAINS.fast]),
    })
    .prefault({}),
  /** Append the offline model to every chain so a run always gets an answer. @default true */
  offlineFallback: z.boolean().default(true),
  /** Whether the startup probe reached Ollama; its models are left out when not. */
  ollamaReachable: z.boolean(),
});
export type ModelRouterConfig = z.infer<typeof ModelRouterConfig>;
export type ModelRouterConfigInput = z.input<typeof ModelRouterConfig>;

/** Providers by name; the key is the `provider` part of a model id. */
export type ModelProviders = Partial<Record<ProviderName, ModelProvider>>;

/** Parses `ollama:deepseek-r1:8b` into a ModelRef; `undefined` for an id of no known provider. */
export function parseModelRef(id: string): ModelRef | undefined {
  const colon = id.indexOf(':');
  const provider = Usage.shape.provider.safeParse(id.slice(0, colon));
  const name = id.slice(colon + 1);
  if (colon <= 0 || !provider.success || name === '') return undefined;
  return { id, provider: provider.data, name, local: LOCAL_PROVIDERS.has(provider.data) };
}

/**
 * The ModelPort: an agent's chain (its own models, then its tier's, then the offline model),
 * filtered to what can run here, and calls dispatched to the provider named in the model id.
 */
export function createModelPort(input: ModelRouterConfigInput, providers: ModelProviders): ModelPort {
  const config = ModelRouterConfig.parse(input);
  if (config.offlineFallback && !providers.offline) {
    throw new Error('offlineFallback is on but no "offline" model provider is registered');
  }
  const usable = (model: ModelRef, agent: AgentProfile) =>
    providers[model.provider] !== undefined &&
    (model.provider !== 'ollama' || config.ollamaReachable) &&
    (model.local || agent.modelPreference.locality !== 'local-only');

  return {
    chainFor(agent) {
      const ids = [
        ...agent.modelPreference.models,
        ...config.chains[agent.modelPreference.tier],
        ...(config.offlineFallback ? [OFFLINE_MODEL_ID] : []),
      ];
      const chain: ModelRef[] = [];
      for (const id of new Set(ids)) {
        const model = parseModelRef(id);
        if (model && usable(model, agent)) chain.push(model);
      }
      return chain;
    },
    complete(request: ModelRequest) {
      const provider = providers[request.model.provider];
      if (!provider) {
        const known = Object.keys(providers).join(', ') || 'none';
        return Promise.reject(
          new Error(`no model provider "${request.model.provider}" for ${request.model.id} (registered: ${known})`),
        );
      }
      return provider.complete(request);
    },
    price: priceOf,
  };
}
