import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { type RunInput, type SaveInput, builderMachine } from './builder.machine';

const agents = ['code-generator', 'tester'];

function start(
  effects: {
    save?: (input: SaveInput) => Promise<{ id: string }>;
    run?: (input: RunInput) => Promise<{ templateId: string; runId: string }>;
  } = {},
) {
  const save = vi.fn(effects.save ?? (async () => ({ id: 'tpl-1' })));
  const run = vi.fn(effects.run ?? (async () => ({ templateId: 'tpl-1', runId: 'run-1' })));
  const actor = createActor(
    builderMachine.provide({
      actors: {
        saveTemplate: fromPromise(({ input }: { input: SaveInput }) => save(input)),
        runTemplate: fromPromise(({ input }: { input: RunInput }) => run(input)),
      },
    }),
    { input: { agents } },
  ).start();
  return { actor, save, run };
}

/** Two steps, the second waiting for the first, both with instructions, and a name. */
function buildTwoSteps(actor: ReturnType<typeof start>['actor']) {
  actor.send({ type: 'step.add', agent: 'code-generator', at: { x: 20, y: 20 } });
  actor.send({ type: 'step.add', agent: 'tester' });
  actor.send({ type: 'connect.start', from: 'code-generator' });
  actor.send({ type: 'connect.complete', to: 'tester' });
  actor.send({ type: 'step.update', id: 'code-generator', patch: { instruction: 'Write a slugify function' } });
  actor.send({ type: 'step.update', id: 'tester', patch: { instruction: 'Test it' } });
  actor.send({ type: 'meta.update', name: 'Slugify', description: 'write and test' });
}

describe('builderMachine', () => {
  it('adds steps, selecting each new one, and connects them through the connecting state', () => {
    const { actor } = start();
    actor.send({ type: 'step.add', agent: 'code-generator' });
    expect(actor.getSnapshot().context.selectedId).toBe('code-generator');
    actor.send({ type: 'step.add', agent: 'tester' });
    actor.send({ type: 'connect.start', from: 'code-generator' });
    expect(actor.getSnapshot().value).toBe('connecting');
    actor.send({ type: 'connect.complete', to: 'tester' });
    const { value, context } = actor.getSnapshot();
    expect(value).toBe('editing');
    expect(context.steps.find((s) => s.id === 'tester')?.dependsOn).toEqual(['code-generator']);
    expect(context.dirty).toBe(true);
  });

  it('refuses a connection that would make a cycle and says why', () => {
    const { actor } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'connect.start', from: 'tester' });
    actor.send({ type: 'connect.complete', to: 'code-generator' });
    const { value, context } = actor.getSnapshot();
    expect(value).toBe('editing');
    expect(context.notice).toMatch(/cycle/);
    expect(context.steps.find((s) => s.id === 'code-generator')?.dependsOn).toEqual([]);
  });

  it('cancels a connection', () => {
    const { actor } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'connect.start', from: 'tester' });
    actor.send({ type: 'connect.cancel' });
    expect(actor.getSnapshot().value).toBe('editing');
    expect(actor.getSnapshot().context.connectFrom).toBeNull();
  });

  it('toggles a dependency from the picker, refusing a cycle', () => {
    const { actor } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'dependency.toggle', id: 'tester', dependency: 'code-generator' });
    expect(actor.getSnapshot().context.steps[1]?.dependsOn).toEqual([]);
    actor.send({ type: 'dependency.toggle', id: 'code-generator', dependency: 'tester' });
    actor.send({ type: 'dependency.toggle', id: 'tester', dependency: 'code-generator' });
    expect(actor.getSnapshot().context.notice).toMatch(/cycle/);
    expect(actor.getSnapshot().context.steps[1]?.dependsOn).toEqual([]);
  });

  it('will not save an invalid graph and lists what is missing', () => {
    const { actor, save } = start();
    actor.send({ type: 'step.add', agent: 'tester' });
    actor.send({ type: 'save' });
    expect(actor.getSnapshot().value).toBe('editing');
    expect(actor.getSnapshot().context.notice).toMatch(/name.*tester has no instruction/);
    expect(save).not.toHaveBeenCalled();
  });

  it('saves the plan and layout, then keeps the template id', async () => {
    const { actor, save } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'save' });
    expect(actor.getSnapshot().value).toBe('saving');
    const done = await waitFor(actor, (s) => s.matches('editing'));
    expect(done.context).toMatchObject({ templateId: 'tpl-1', dirty: false });
    expect(save).toHaveBeenCalledWith({
      id: null,
      name: 'Slugify',
      description: 'write and test',
      plan: {
        steps: [
          { id: 'code-generator', agent: 'code-generator', instruction: 'Write a slugify function', dependsOn: [] },
          { id: 'tester', agent: 'tester', instruction: 'Test it', dependsOn: ['code-generator'] },
        ],
      },
      layout: [
        { stepId: 'code-generator', x: 20, y: 20 },
        { stepId: 'tester', x: expect.any(Number), y: expect.any(Number) },
      ],
    });
  });

  it('runs a changed template by saving it first, then records the run', async () => {
    const { actor, run } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'run' });
    expect(actor.getSnapshot().value).toBe('running');
    const done = await waitFor(actor, (s) => s.matches('editing'));
    expect(done.context.lastRunId).toBe('run-1');
    expect(run.mock.calls[0]?.[0].save?.name).toBe('Slugify');
    // Unchanged since: the next run does not save again.
    actor.send({ type: 'run' });
    await waitFor(actor, (s) => s.matches('editing'));
    expect(run.mock.calls[1]?.[0]).toEqual({ save: null, templateId: 'tpl-1' });
  });

  it('goes to error when the server refuses, and back to editing on dismiss', async () => {
    const { actor } = start({
      save: async () => {
        throw new Error('the plan is not valid');
      },
    });
    buildTwoSteps(actor);
    actor.send({ type: 'save' });
    const failed = await waitFor(actor, (s) => s.matches('error'));
    expect(failed.context.error).toBe('the plan is not valid');
    actor.send({ type: 'dismiss' });
    expect(actor.getSnapshot().value).toBe('editing');
    expect(actor.getSnapshot().context.error).toBeNull();
  });

  it('loads a template with its positions, and starts over on new', () => {
    const { actor } = start();
    actor.send({
      type: 'template.load',
      template: {
        id: 'tpl-9',
        name: 'Ship',
        description: '',
        plan: {
          planner: 'builder',
          rationale: '',
          steps: [{ id: 'd', agent: 'tester', instruction: 'go', dependsOn: [], question: null, insertedFor: null }],
        },
        layout: [{ stepId: 'd', x: 300, y: 140 }],
      },
    });
    expect(actor.getSnapshot().context).toMatchObject({ templateId: 'tpl-9', name: 'Ship', dirty: false });
    expect(actor.getSnapshot().context.steps[0]).toMatchObject({ x: 300, y: 140 });
    actor.send({ type: 'template.new' });
    expect(actor.getSnapshot().context).toMatchObject({ templateId: null, steps: [], agents });
  });

  it('removes the selected step and forgets it was selected', () => {
    const { actor } = start();
    buildTwoSteps(actor);
    actor.send({ type: 'step.select', id: 'code-generator' });
    actor.send({ type: 'step.remove', id: 'code-generator' });
    const { context } = actor.getSnapshot();
    expect(context.selectedId).toBeNull();
    expect(context.steps.map((s) => [s.id, s.dependsOn])).toEqual([['tester', []]]);
  });
});
