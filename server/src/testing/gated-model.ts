import type { ModelPort, ModelRequest } from '@revo/actors';
import { answerJson, createFakeModelPort } from '@revo/actors/testing';

/** The step a model request is for, from the prompt the step machine writes. */
export const stepOfPrompt = (prompt: string): string => /Your step \(([^)]+)\)/.exec(prompt)?.[1] ?? '?';

/**
 * An instant fake model whose calls for chosen steps wait until the test opens their gate: a run
 * can be held mid-way for as long as a test needs, without sleeping.
 */
export function createGatedModel(
  reply: (request: ModelRequest) => string = (r) => answerJson(r.agent === 'tester' ? 'pass' : `${r.agent} ok`),
) {
  const fake = createFakeModelPort((request) => ({ reply: reply(request), tokens: ['answer ', 'streamed ', 'here'] }));
  const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
  const arrived: ModelRequest[] = [];
  const waiters: { stepId: string; resolve: (r: ModelRequest) => void }[] = [];
  const port: ModelPort = {
    ...fake.port,
    async complete(request) {
      arrived.push(request);
      for (const waiter of waiters.filter((w) => w.stepId === stepOfPrompt(request.prompt))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
      const gate = gates.get(stepOfPrompt(request.prompt));
      if (gate) await gate.opened;
      return fake.port.complete(request);
    },
  };
  return {
    port,
    /** Calls that reached the model, held ones included. */
    calls: arrived,
    /** Calls for this step wait until `open` is called. */
    hold(stepId: string) {
      let open: () => void = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      gates.set(stepId, { opened, open });
      return () => {
        gates.delete(stepId);
        open();
      };
    },
    /** Resolves once a call for the step has reached the model (held or not). */
    reached(stepId: string): Promise<ModelRequest> {
      const seen = arrived.find((r) => stepOfPrompt(r.prompt) === stepId);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ stepId, resolve }));
    },
  };
}
