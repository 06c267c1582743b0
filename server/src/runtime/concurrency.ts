import { AgentId, type ModelPort, type ModelRef, Usage } from '@revo/actors';
import { z } from 'zod';

/**
 * Most calls that may run at once: per provider (`ollama`) or full model id (`ollama:llama3.1:8b`),
 * and per agent id, where `*` is the limit of every agent without an entry of its own.
 */
export const ConcurrencyLimits = z.object({
  models: z.record(z.string(), z.number().int().positive()),
  agents: z.record(z.string(), z.number().int().positive()),
});
export type ConcurrencyLimits = z.infer<typeof ConcurrencyLimits>;

/** No limits at all: every call runs at once. */
export const noLimits: ConcurrencyLimits = { models: {}, agents: {} };

const Provider = Usage.shape.provider;
const MaxCalls = z
  .string()
  .regex(/^\d+$/, 'the max is a whole number of calls')
  .transform(Number)
  .pipe(z.number().min(1, 'the max is at least 1').max(10_000, 'the max is at most 10000'));
const ModelLimitName = z.string().refine(
  (name) => {
    const [provider, ...model] = name.split(':');
    return Provider.safeParse(provider).success && (model.length === 0 || model.join(':').length > 0);
  },
  `name a provider (${Provider.options.join(', ')}) or a model id <provider>:<model>`,
);
const AgentLimitName = z.union([z.literal('*'), AgentId]);

const problemWith = (schema: z.ZodType, value: string): string | undefined =>
  schema.safeParse(value).error?.issues[0]?.message;

/** A `name=max,name=max` setting; each bad entry is an issue naming it. */
function limitList(name: z.ZodType) {
  return z.string().transform((text, ctx) => {
    const limits: Record<string, number> = {};
    for (const entry of text.split(',').map((part) => part.trim())) {
      if (!entry) continue;
      // Model ids hold colons, never `=`: the last `=` splits name from max.
      const at = entry.lastIndexOf('=');
      const key = entry.slice(0, at).trim();
      const max = entry.slice(at + 1).trim();
      const problem =
        at < 0
          ? 'write <name>=<max>'
          : (problemWith(name, key) ?? problemWith(MaxCalls, max) ?? (key in limits ? 'named twice' : undefined));
      if (problem) ctx.addIssue({ code: 'custom', message: `"${entry}": ${problem}` });
      else limits[key] = Number(max);
    }
    return limits;
  });
}

/** A model limits setting, `ollama=4,ollama:llama3.1:8b=1`, as env.ts can take it. */
export const ModelLimitsSetting = limitList(ModelLimitName);
/** An agent limits setting, `coder=4,*=8`, as env.ts can take it. */
export const AgentLimitsSetting = limitList(AgentLimitName);

/** Parses both settings; throws one error listing every bad entry. */
export function parseConcurrencyLimits(settings: { models?: string; agents?: string }): ConcurrencyLimits {
  const models = ModelLimitsSetting.safeParse(settings.models ?? '');
  const agents = AgentLimitsSetting.safeParse(settings.agents ?? '');
  const problems = [
    ...(models.error?.issues.map((issue) => `model limits: ${issue.message}`) ?? []),
    ...(agents.error?.issues.map((issue) => `agent limits: ${issue.message}`) ?? []),
  ];
  if (problems.length > 0 || !models.success || !agents.success) {
    throw new Error(`bad concurrency limits: ${problems.join('; ')}`);
  }
  return { models: models.data, agents: agents.data };
}

/** One call as the limits see it. */
export interface GatedCall {
  model: ModelRef;
  agent: string;
}

/** A limit one call counts against: `model:<id>`, `provider:<provider>` or `agent:<id>`. */
export interface LimitSlot {
  name: string;
  max: number;
}

/** The limits `call` counts against; it may run only while every one of them has room. */
export function slotsFor(call: GatedCall, limits: ConcurrencyLimits): LimitSlot[] {
  const slots: LimitSlot[] = [];
  const byModel = limits.models[call.model.id];
  const byProvider = limits.models[call.model.provider];
  const byAgent = limits.agents[call.agent] ?? limits.agents['*'];
  if (byModel !== undefined) slots.push({ name: `model:${call.model.id}`, max: byModel });
  if (byProvider !== undefined) slots.push({ name: `provider:${call.model.provider}`, max: byProvider });
  if (byAgent !== undefined) slots.push({ name: `agent:${call.agent}`, max: byAgent });
  return slots;
}

/** Runs calls within concurrency limits; a call waits (in arrival order) until all its limits have room. */
export interface ConcurrencyGate {
  /** Runs `fn` once `call` may; aborting `signal` while it waits drops it from the queue and rejects. */
  run<T>(call: GatedCall, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

interface Waiter {
  slots: LimitSlot[];
  start: () => void;
}

/**
 * The gate inside one process: a counter per limit and one FIFO queue. A waiter starts when all
 * its limits have room and no earlier waiter is held up on any of them, so nobody starves and a
 * call never holds part of its limits while it waits for the rest.
 */
export function createLocalGate(limits: ConcurrencyLimits): ConcurrencyGate {
  const running = new Map<string, number>();
  const queue: Waiter[] = [];
  const fits = (slots: LimitSlot[]) => slots.every((slot) => (running.get(slot.name) ?? 0) < slot.max);
  const count = (slots: LimitSlot[], by: number) => {
    for (const slot of slots) running.set(slot.name, (running.get(slot.name) ?? 0) + by);
  };

  function startWaiters() {
    const heldUp = new Set<string>();
    for (const waiter of [...queue]) {
      if (waiter.slots.every((slot) => !heldUp.has(slot.name)) && fits(waiter.slots)) {
        queue.splice(queue.indexOf(waiter), 1);
        count(waiter.slots, 1);
        waiter.start();
      } else {
        for (const slot of waiter.slots) heldUp.add(slot.name);
      }
    }
  }

  function wait(slots: LimitSlot[], signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal?.reason);
        // Leaving may let the ones behind it start.
        startWaiters();
      };
      const waiter: Waiter = {
        slots,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      startWaiters();
    });
  }

  return {
    async run(call, fn, signal) {
      const slots = slotsFor(call, limits);
      if (slots.length === 0) return fn();
      signal?.throwIfAborted();
      await wait(slots, signal);
      try {
        return await fn();
      } finally {
        count(slots, -1);
        startWaiters();
      }
    },
  };
}

/** `port` with every `complete` run through `gate`. */
export function withGate(port: ModelPort, gate: ConcurrencyGate): ModelPort {
  return {
    chainFor: (agent) => port.chainFor(agent),
    price: (model, tokensIn, tokensOut) => port.price(model, tokensIn, tokensOut),
    complete: (request) => gate.run(request, () => port.complete(request), request.signal),
  };
}
