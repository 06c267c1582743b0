import { z } from 'zod';
import { AgentId } from './ids';

/** One thing an agent is good at: a weight in (0, 1] and the words a task uses when it needs it. */
export const Capability = z.object({
  name: z.string().min(1).max(64),
  weight: z.number().gt(0).max(1),
  keywords: z.array(z.string().min(1).max(64)).min(1).max(400),
});
export type Capability = z.infer<typeof Capability>;

/** Which models an agent would rather use. `tier` picks from the configured chains. */
export const ModelPreference = z.object({
  tier: z.enum(['reasoning', 'general', 'fast']).default('general'),
  /** Explicit model names tried before the tier's chain, e.g. `["ollama:qwen2.5-coder:7b"]`. */
  models: z.array(z.string().min(1)).max(8).default([]),
  /** `local` keeps cloud models out of this agent's chain even when they are configured. */
  locality: z.enum(['local-only', 'local-first']).default('local-first'),
});
export type ModelPreference = z.infer<typeof ModelPreference>;

/** A JSON Schema object (the subset models understand) describing the answer's fields. */
export const JsonSchemaObject = z
  .object({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()) })
  .passthrough();

/** An agent as the registry holds it: built-in or loaded from a user's config file. */
export const AgentProfile = z.object({
  id: AgentId,
  name: z.string().min(1).max(80),
  description: z.string().min(1).max(2_000),
  capabilities: z.array(Capability).min(1).max(32),
  systemPrompt: z.string().min(1).max(20_000),
  /** Extra JSON Schema the answer must satisfy besides the common answer fields. */
  outputSchema: JsonSchemaObject.optional(),
  /** Positions this agent may take (e.g. a tester's `pass` / `fail`); free text when absent. */
  positions: z.array(z.string().min(1).max(80)).max(32).optional(),
  modelPreference: ModelPreference.default({ tier: 'general', models: [], locality: 'local-first' }),
  /** Relative cost class used by the selector when no price is known: 0 free .. 1 expensive. */
  costClass: z.number().min(0).max(1).default(0.2),
});
export type AgentProfile = z.infer<typeof AgentProfile>;
export type AgentProfileInput = z.input<typeof AgentProfile>;
