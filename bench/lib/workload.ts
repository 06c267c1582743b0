/** What both contenders run: the same fake model, the same plans, the same answer JSON. */
import { Plan, builtinAgents } from '@revo/actors';

/** A model as both graphs see it: an agent and a prompt in, the reply text out. */
export type ModelFn = (agent: string, prompt: string) => Promise<string>;

/**
 * One valid answer for every agent. All agree, so no discussion starts; the position is "pass"
 * because the tester only accepts pass, fail or not testable.
 */
export const ANSWER_JSON = JSON.stringify({
  answer: 'The change looks right; nothing to add.',
  position: 'pass',
  confidence: 0.9,
  rationale: 'A fixed benchmark answer.',
});

/** The instant fake model: resolves at once with the fixed answer. */
export const fakeModel: ModelFn = (_agent, _prompt) => Promise.resolve(ANSWER_JSON);

/** The same answer after `ms` milliseconds, as a model with a fixed latency. */
export const delayedModel =
  (ms: number): ModelFn =>
  (_agent, _prompt) =>
    new Promise((resolve) => setTimeout(resolve, ms, ANSWER_JSON));

export const QUESTION = 'is the change ready to merge?';

/** Nine parallel steps, one per built-in agent, all answering the same question. */
export const fanoutPlan: Plan = Plan.parse({
  steps: builtinAgents.map((agent) => ({
    id: agent.id,
    agent: agent.id,
    instruction: `Review the change as the ${agent.name}.`,
    question: QUESTION,
  })),
});

/**
 * Nine steps over four levels, irregular on purpose: roots a b c; d<-a, e<-a,b, f<-c; g<-d,e,
 * h<-e,f; i<-g,h. Critical path a-e-g-i, four steps.
 */
export const dagPlan: Plan = Plan.parse({
  steps: (
    [
      ['a', []],
      ['b', []],
      ['c', []],
      ['d', ['a']],
      ['e', ['a', 'b']],
      ['f', ['c']],
      ['g', ['d', 'e']],
      ['h', ['e', 'f']],
      ['i', ['g', 'h']],
    ] as const
  ).map(([id, dependsOn], n) => ({
    id,
    agent: builtinAgents[n % builtinAgents.length]?.id,
    instruction: `Do part ${id} of the work.`,
    dependsOn,
  })),
});

/** The prompt a LangGraph node builds: task, instruction, and the results it depends on. */
export function nodePrompt(
  task: string,
  step: Plan['steps'][number],
  answers: Record<string, { position: string; answer: string }>,
): string {
  const lines = [`Task: ${task}`, `Your step (${step.id}): ${step.instruction}`];
  for (const dep of step.dependsOn) {
    const done = answers[dep];
    if (done) lines.push(`### ${dep}\nposition: ${done.position}\n${done.answer}`);
  }
  return lines.join('\n');
}
