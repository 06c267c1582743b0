/**
 * The workflow builder: `editing` the graph, `connecting` one step to another, `saving` it as a
 * template, `running` a template (saved first when it changed), and `error` when the server
 * refused. The graph logic is in `builder-graph.ts`; the effects (GraphQL) are named actors that
 * the page provides and tests fake.
 */
import { assign, fromPromise, setup } from 'xstate';
import type { NodePositionInput, PlanInput, WorkflowTemplate } from '@/lib/graphql/schema-types';
import {
  type BuilderStep,
  addStep,
  autoLayout,
  connect,
  connectProblem,
  disconnect,
  fromTemplate,
  moveStep,
  removeStep,
  toLayout,
  toPlanInput,
  updateStep,
  validateGraph,
} from './builder-graph';

export interface SaveInput {
  /** Replace this template, or create one when `null`. */
  id: string | null;
  name: string;
  description: string;
  plan: PlanInput;
  layout: NodePositionInput[];
}

export interface RunInput {
  /** Saved first (when changed or never saved), then run. */
  save: SaveInput | null;
  templateId: string | null;
}

export interface BuilderContext {
  steps: BuilderStep[];
  selectedId: string | null;
  /** The step a new dependency starts from while `connecting`. */
  connectFrom: string | null;
  templateId: string | null;
  name: string;
  description: string;
  /** The agents a step may name (empty: not known yet, so not checked). */
  agents: string[];
  /** Changed since the last save or load. */
  dirty: boolean;
  /** A passing remark: a refused connection, problems that block saving, "Saved". */
  notice: string | null;
  error: string | null;
  /** The run the last `run` started: the page opens its live view. */
  lastRunId: string | null;
}

export type BuilderEvent =
  | { type: 'step.add'; agent: string; at?: { x: number; y: number } }
  | { type: 'step.remove'; id: string }
  | { type: 'step.move'; id: string; x: number; y: number }
  | { type: 'step.select'; id: string | null }
  | { type: 'step.update'; id: string; patch: Partial<Pick<BuilderStep, 'agent' | 'instruction' | 'question'>> }
  | { type: 'dependency.toggle'; id: string; dependency: string }
  | { type: 'connect.start'; from: string }
  | { type: 'connect.complete'; to: string }
  | { type: 'connect.cancel' }
  | { type: 'meta.update'; name?: string; description?: string }
  | { type: 'layout.tidy' }
  | { type: 'agents.known'; agents: string[] }
  | { type: 'template.load'; template: Pick<WorkflowTemplate, 'id' | 'name' | 'description' | 'plan' | 'layout'> }
  | { type: 'template.new' }
  | { type: 'template.deleted'; id: string }
  | { type: 'save' }
  | { type: 'run' }
  | { type: 'dismiss' };

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong.';

/** What stops saving: the graph's problems and a missing name. */
export function blockers(context: Pick<BuilderContext, 'steps' | 'agents' | 'name'>): string[] {
  const problems = validateGraph(context.steps, new Set(context.agents)).map((p) => p.message);
  return context.name.trim() ? problems : ['Give the template a name.', ...problems];
}

const saveInput = (context: BuilderContext): SaveInput => ({
  id: context.templateId,
  name: context.name.trim(),
  description: context.description.trim(),
  plan: toPlanInput(context.steps),
  layout: toLayout(context.steps),
});

const empty = (agents: string[] = []): BuilderContext => ({
  steps: [],
  selectedId: null,
  connectFrom: null,
  templateId: null,
  name: '',
  description: '',
  agents,
  dirty: false,
  notice: null,
  error: null,
  lastRunId: null,
});

export const builderMachine = setup({
  types: {
    context: {} as BuilderContext,
    events: {} as BuilderEvent,
    input: {} as { agents?: string[] } | undefined,
  },
  actors: {
    saveTemplate: fromPromise<{ id: string }, SaveInput>(async () => {
      throw new Error('saveTemplate is not provided');
    }),
    runTemplate: fromPromise<{ templateId: string; runId: string }, RunInput>(async () => {
      throw new Error('runTemplate is not provided');
    }),
  },
  guards: {
    ready: ({ context }) => blockers(context).length === 0,
    canConnect: ({ context, event }) =>
      event.type === 'connect.complete' &&
      context.connectFrom !== null &&
      connectProblem(context.steps, context.connectFrom, event.to) === null,
  },
  actions: {
    edit: assign({ dirty: true, notice: null }),
    explainBlockers: assign({ notice: ({ context }) => blockers(context).join(' ') }),
  },
}).createMachine({
  id: 'builder',
  context: ({ input }) => empty(input?.agents),
  initial: 'editing',
  on: {
    'agents.known': { actions: assign({ agents: ({ event }) => event.agents }) },
  },
  states: {
    editing: {
      on: {
        'step.add': {
          actions: [
            assign(({ context, event }) => {
              const { steps, id } = addStep(context.steps, event.agent, event.at);
              return { steps, selectedId: id };
            }),
            'edit',
          ],
        },
        'step.remove': {
          actions: [
            assign({
              steps: ({ context, event }) => removeStep(context.steps, event.id),
              selectedId: ({ context, event }) => (context.selectedId === event.id ? null : context.selectedId),
            }),
            'edit',
          ],
        },
        'step.move': {
          actions: [assign({ steps: ({ context, event }) => moveStep(context.steps, event.id, event) }), 'edit'],
        },
        'step.select': { actions: assign({ selectedId: ({ event }) => event.id, notice: null }) },
        'step.update': {
          actions: [
            assign({ steps: ({ context, event }) => updateStep(context.steps, event.id, event.patch) }),
            'edit',
          ],
        },
        'dependency.toggle': [
          {
            guard: ({ context, event }) =>
              context.steps.find((s) => s.id === event.id)?.dependsOn.includes(event.dependency) ?? false,
            actions: [
              assign({ steps: ({ context, event }) => disconnect(context.steps, event.dependency, event.id) }),
              'edit',
            ],
          },
          {
            guard: ({ context, event }) => connectProblem(context.steps, event.dependency, event.id) === null,
            actions: [
              assign({ steps: ({ context, event }) => connect(context.steps, event.dependency, event.id) }),
              'edit',
            ],
          },
          {
            actions: assign({
              notice: ({ context, event }) => connectProblem(context.steps, event.dependency, event.id),
            }),
          },
        ],
        'connect.start': {
          target: 'connecting',
          actions: assign({ connectFrom: ({ event }) => event.from, notice: null }),
        },
        'meta.update': {
          actions: [
            assign({
              name: ({ context, event }) => event.name ?? context.name,
              description: ({ context, event }) => event.description ?? context.description,
            }),
            'edit',
          ],
        },
        'layout.tidy': { actions: [assign({ steps: ({ context }) => autoLayout(context.steps) }), 'edit'] },
        'template.load': {
          actions: assign(({ context, event }) => ({
            ...empty(context.agents),
            steps: fromTemplate(event.template),
            templateId: event.template.id,
            name: event.template.name,
            description: event.template.description,
          })),
        },
        'template.new': { actions: assign(({ context }) => empty(context.agents)) },
        'template.deleted': {
          guard: ({ context, event }) => context.templateId === event.id,
          actions: assign({ templateId: null, dirty: true }),
        },
        save: [{ guard: 'ready', target: 'saving' }, { actions: 'explainBlockers' }],
        run: [{ guard: 'ready', target: 'running' }, { actions: 'explainBlockers' }],
        dismiss: { actions: assign({ notice: null }) },
      },
    },
    connecting: {
      on: {
        'connect.complete': [
          {
            guard: 'canConnect',
            target: 'editing',
            actions: [
              assign({
                steps: ({ context, event }) => connect(context.steps, context.connectFrom as string, event.to),
                connectFrom: null,
                selectedId: ({ event }) => event.to,
              }),
              'edit',
            ],
          },
          {
            target: 'editing',
            actions: assign({
              notice: ({ context, event }) => connectProblem(context.steps, context.connectFrom as string, event.to),
              connectFrom: null,
            }),
          },
        ],
        'connect.cancel': { target: 'editing', actions: assign({ connectFrom: null }) },
        'connect.start': { actions: assign({ connectFrom: ({ event }) => event.from }) },
        'step.move': { actions: assign({ steps: ({ context, event }) => moveStep(context.steps, event.id, event) }) },
      },
    },
    saving: {
      invoke: {
        src: 'saveTemplate',
        input: ({ context }) => saveInput(context),
        onDone: {
          target: 'editing',
          actions: assign({
            templateId: ({ event }) => event.output.id,
            dirty: false,
            notice: ({ context }) => `Saved “${context.name.trim()}”.`,
          }),
        },
        onError: { target: 'error', actions: assign({ error: ({ event }) => messageOf(event.error) }) },
      },
    },
    running: {
      invoke: {
        src: 'runTemplate',
        input: ({ context }) => ({
          save: context.dirty || !context.templateId ? saveInput(context) : null,
          templateId: context.templateId,
        }),
        onDone: {
          target: 'editing',
          actions: assign({
            templateId: ({ event }) => event.output.templateId,
            lastRunId: ({ event }) => event.output.runId,
            dirty: false,
            notice: null,
          }),
        },
        onError: { target: 'error', actions: assign({ error: ({ event }) => messageOf(event.error) }) },
      },
    },
    error: {
      on: {
        dismiss: { target: 'editing', actions: assign({ error: null }) },
        save: { guard: 'ready', target: 'saving', actions: assign({ error: null }) },
        run: { guard: 'ready', target: 'running', actions: assign({ error: null }) },
      },
    },
  },
});
