/** The same graph in LangGraph.js: one node per step, then a reconcile node; no checkpointer. */
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { Plan } from '@revo/actors';
import { type ModelFn, nodePrompt } from './workload';

interface Answer {
  answer: string;
  position: string;
  confidence: number;
  rationale: string;
}

const State = Annotation.Root({
  task: Annotation<string>,
  answers: Annotation<Record<string, Answer>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  conflict: Annotation<boolean>,
  merged: Annotation<string>,
});

/**
 * Compiles the plan as a StateGraph: steps without dependencies fan out from START, a step with
 * several dependencies waits for all of them, and every sink feeds `reconcile`, which checks the
 * positions of each question group for a conflict and merges the sinks' answers into one string.
 */
export function langgraphRunner(model: ModelFn, plan: Plan) {
  // The builder's types track node names as literals; a graph built from data widens them.
  const graph = new StateGraph(State) as unknown as StateGraph<
    typeof State.spec,
    typeof State.State,
    typeof State.Update,
    string
  >;
  for (const step of plan.steps) {
    graph.addNode(step.id, async (state: typeof State.State) => {
      const text = await model(step.agent, nodePrompt(state.task, step, state.answers));
      return { answers: { [step.id]: JSON.parse(text) as Answer } };
    });
  }
  const dependedOn = new Set(plan.steps.flatMap((s) => s.dependsOn as string[]));
  const sinks = plan.steps.filter((s) => !dependedOn.has(s.id)).map((s) => s.id as string);
  graph.addNode('reconcile', (state: typeof State.State) => {
    const positions = new Map<string, Set<string>>();
    for (const step of plan.steps) {
      const answer = state.answers[step.id];
      if (!step.question || !answer) continue;
      positions.set(step.question, (positions.get(step.question) ?? new Set()).add(answer.position));
    }
    const conflict = [...positions.values()].some((set) => set.size > 1);
    const merged = sinks.map((id) => `### ${id}\n${state.answers[id]?.answer ?? ''}`).join('\n\n');
    return { conflict, merged };
  });
  for (const step of plan.steps) {
    const deps = step.dependsOn as string[];
    if (deps.length === 0) graph.addEdge(START, step.id);
    else graph.addEdge(deps.length === 1 ? (deps[0] as string) : deps, step.id);
  }
  graph.addEdge(sinks, 'reconcile');
  graph.addEdge('reconcile', END);
  const compiled = graph.compile();
  const run = async () => {
    const out = (await compiled.invoke({ task: 'Review the change.' })) as typeof State.State;
    if (!out.merged || out.conflict) throw new Error('LangGraph run did not merge its answers');
    return out;
  };
  return { run };
}
