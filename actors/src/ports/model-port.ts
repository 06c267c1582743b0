import type { AgentProfile } from '../domain/agent-profile';
import type { Usage } from '../domain/usage';
import type { CallKey } from './call-journal';

/** A model that can serve an agent call; `id` is `<provider>:<name>` (`ollama:deepseek-r1:8b`). */
export interface ModelRef {
  id: string;
  provider: Usage['provider'];
  name: string;
  /** True when the model runs on this machine (Ollama, offline): it costs no money. */
  local: boolean;
}

/** One call to one model. */
export interface ModelRequest {
  model: ModelRef;
  /** The agent asking; the offline model uses it to answer deterministically per agent. */
  agent: string;
  system: string;
  prompt: string;
  /** JSON Schema the reply must satisfy; sent to models that support structured output. */
  jsonSchema: Record<string, unknown>;
  signal: AbortSignal;
  /**
   * The call's identity when an agent makes it: the same key is the same purchase, so a port that
   * hands calls to other processes (workers) can make sure each is paid for once.
   */
  key?: CallKey;
  /** Called with each streamed piece of the reply, in order. */
  onToken?: (delta: string) => void;
}

/** What the model returned, before the agent validates it. */
export interface ModelReply {
  text: string;
  tokensIn: number;
  tokensOut: number;
}

/** One provider of models (Ollama, a cloud API, the offline model, a fake in tests). */
export interface ModelProvider {
  readonly provider: Usage['provider'];
  complete(request: ModelRequest): Promise<ModelReply>;
}

/**
 * The model port: which models an agent may use, in order (local first), how to call them, and
 * what a call costs. Effects live in the providers; the agent machine sees only this.
 */
export interface ModelPort {
  chainFor(agent: AgentProfile): ModelRef[];
  complete(request: ModelRequest): Promise<ModelReply>;
  /** Money for one call in US dollars; local models cost 0 but are still counted. */
  price(model: ModelRef, tokensIn: number, tokensOut: number): number;
}

/** An error a model call may be retried after (timeouts, refused connections, 5xx). */
export class TransientModelError extends Error {
  override readonly name = 'TransientModelError';
}
