import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, phone } from './browser';
import { graphql } from './stack';

/** Three agents asked the same question disagree, and the offline vote escalates it: the run waits for a person. */
const disagreement = {
  task: 'Compare REST, GraphQL and gRPC for the public API',
  plan: {
    steps: ['architect', 'performance', 'security'].map((agent) => ({
      id: agent,
      agent,
      instruction: 'Compare REST, GraphQL and gRPC for the public API',
      question: 'api-style',
    })),
  },
};

describeInBrowser('the workflow pages in a browser', (session) => {
  const { open, step, shot, pageErrors } = session;
  const runs: string[] = [];

  const stepStatuses = (page: Page) =>
    page.getByTestId('graph-step').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));

  /** A GraphQL request to the stack's server, to check what the pages show against what it says. */
  const api = <T = unknown>(query: string, variables: Record<string, unknown> = {}) =>
    graphql<T>(session.stack.apiUrl, query, variables);

  /** The page on a phone: drawn, nothing wider than the screen (the page itself never scrolls sideways). */
  async function onPhone(path: string, ready: string, name: string) {
    const small = await open(path, phone);
    await step(small, name, () => small.locator(ready).first().waitFor());
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await shot(small, name);
    await small.close();
  }

  it('plans a task into a graph with its prediction, runs it, and watches every step succeed', async () => {
    const page = await open('/workflows');
    await step(page, 'plan', async () => {
      await page.getByTestId('task-input').fill('Implement a rate limiter, test it and deploy it');
      await page.getByTestId('plan-button').click();
      await page.locator('[data-testid="workflow-view"][data-status="PLANNED"]').waitFor();
    });
    const runId = new URL(page.url()).searchParams.get('run') as string;
    expect(runId).toMatch(/^run-/);
    runs.push(runId);

    // The plan as the server made it: every step a card, in dependency order, nothing run yet.
    const { workflow: planned } = await api<{
      workflow: { plan: { steps: { id: string; dependsOn: string[] }[] }; prediction: { successProbability: number } };
    }>(
      'query($id: ID!) { workflow(runId: $id) { plan { steps { id dependsOn } } prediction { successProbability } } }',
      { id: runId },
    );
    expect(planned.plan.steps.length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('graph-step').count()).toBe(planned.plan.steps.length);
    expect(new Set(await stepStatuses(page))).toEqual(new Set(['PENDING']));
    const x = async (id: string) =>
      (await page.locator(`[data-testid="graph-step"][data-step="${id}"]`).boundingBox())?.x ?? Number.NaN;
    for (const s of planned.plan.steps) {
      for (const dep of s.dependsOn) expect(await x(s.id)).toBeGreaterThan(await x(dep));
    }
    const success = `${Math.round(planned.prediction.successProbability * 100)}%`;
    expect(await page.getByTestId('prediction-success').textContent()).toContain(success);
    expect(await page.getByTestId('prediction').textContent()).toMatch(/Time[\s\S]*Cost[\s\S]*Confidence/);
    await shot(page, 'workflows-planned');

    // Run: the feed turns every card green.
    await step(page, 'run', async () => {
      await page.getByTestId('run-button').click();
      await page.locator('[data-testid="workflow-view"][data-status="COMPLETED"]').waitFor();
    });
    expect(await stepStatuses(page)).toEqual(planned.plan.steps.map(() => 'SUCCEEDED'));
    expect(await page.getByTestId('step-progress').textContent()).toBe(
      `${planned.plan.steps.length}/${planned.plan.steps.length} steps`,
    );
    await page.getByTestId('final-answer').waitFor();
    const { workflow: ran } = await api<{ workflow: { status: string; steps: { status: string }[] } }>(
      'query($id: ID!) { workflow(runId: $id) { status steps { status } } }',
      { id: runId },
    );
    expect(ran.status).toBe('COMPLETED');
    expect(ran.steps.every((s) => s.status === 'SUCCEEDED')).toBe(true);

    // A step's answer opens under the graph.
    await page.locator(`[data-testid="graph-step"][data-step="${planned.plan.steps[0]?.id}"]`).click();
    expect(await page.getByTestId('step-detail').textContent()).toContain('[offline model]');

    // The history lists it, and the status filter keeps it under completed only.
    const history = page.getByTestId('history');
    await expect.poll(() => history.locator(`[data-run="${runId}"]`).count()).toBe(1);
    await page.getByTestId('history-status').selectOption('FAILED');
    await expect.poll(() => history.locator(`[data-run="${runId}"]`).count()).toBe(0);
    await page.getByTestId('history-status').selectOption('COMPLETED');
    await expect.poll(() => history.locator(`[data-run="${runId}"]`).count()).toBe(1);
    await shot(page, 'workflows');
    await page.close();

    await onPhone(
      `/workflows?run=${runId}`,
      '[data-testid="workflow-view"][data-status="COMPLETED"]',
      'workflows-phone',
    );
  }, 90_000);

  it('builds a two-step workflow, saves it as a template, runs it and sees it complete', async () => {
    const page = await open('/builder');
    const canvas = page.getByTestId('builder-canvas');
    const node = (id: string) => page.locator(`[data-testid="builder-node"][data-step-id="${id}"]`);

    await step(page, 'add steps', async () => {
      // One from the keyboard-friendly button, one dragged from the palette.
      await page.getByRole('button', { name: 'Add a Code generator step' }).click();
      await page
        .locator('[data-testid="palette-agent"][data-agent="tester"]')
        .dragTo(canvas, { targetPosition: { x: 560, y: 260 } });
      await node('tester').waitFor();
    });
    expect(await page.getByTestId('builder-node').count()).toBe(2);

    await step(page, 'connect', async () => {
      // Drag from the code generator's handle onto the tester: the tester waits for it.
      const handle = (await node('code-generator').getByTestId('connect-handle').boundingBox()) ?? {
        x: 0,
        y: 0,
        width: 0,
        height: 0,
      };
      const target = (await node('tester').locator('button').first().boundingBox()) ?? {
        x: 0,
        y: 0,
        width: 0,
        height: 0,
      };
      await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
      await page.mouse.down();
      await page.mouse.move(target.x + 20, target.y + 20, { steps: 8 });
      await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 4 });
      await page.mouse.up();
      await page.locator('[data-testid="builder-edge"][data-from="code-generator"][data-to="tester"]').waitFor();
    });

    await step(page, 'edit', async () => {
      await node('code-generator').locator('button').first().click();
      await page.getByTestId('step-instruction').fill('Write a slugify function in TypeScript');
      await node('tester').locator('button').first().click();
      expect(await page.locator('[data-testid="depends-on"][data-dependency="code-generator"]').isChecked()).toBe(true);
      await page.getByTestId('step-instruction').fill('Test the slugify function');
      // A cycle is refused: the code generator cannot wait for the tester.
      await node('code-generator').locator('button').first().click();
      expect(await page.locator('[data-testid="depends-on"][data-dependency="tester"]').isDisabled()).toBe(true);
      await page.getByTestId('template-name').fill('Slugify, tested');
      await page.getByTestId('template-description').fill('Write a slugify function and test it');
      // Arrow keys move the chosen step.
      const top = () => node('code-generator').evaluate((n) => Number.parseFloat((n as HTMLElement).style.top));
      const before = await top();
      await node('code-generator').locator('button').first().press('ArrowDown');
      await expect.poll(top).toBe(before + 16);
    });
    expect(await page.getByTestId('builder-checks').textContent()).toContain('Ready: 2 steps');
    await shot(page, 'builder');

    const templateId = await step(page, 'save', async () => {
      await page.getByTestId('save-template').click();
      await page.waitForURL(/\/builder\?template=/);
      await page.getByTestId('templates').getByText('Slugify, tested').waitFor();
      return new URL(page.url()).searchParams.get('template') as string;
    });
    const { workflowTemplate } = await api<{
      workflowTemplate: {
        plan: { steps: { id: string; agent: string; dependsOn: string[] }[] };
        layout: { stepId: string; x: number; y: number }[];
      };
    }>(
      'query($id: ID!) { workflowTemplate(id: $id) { plan { steps { id agent dependsOn } } layout { stepId x y } } }',
      { id: templateId },
    );
    expect(workflowTemplate.plan.steps).toEqual([
      { id: 'code-generator', agent: 'code-generator', dependsOn: [] },
      { id: 'tester', agent: 'tester', dependsOn: ['code-generator'] },
    ]);
    // Where the nodes stand is what was saved, and it comes back on a reload.
    const positions = () =>
      page.getByTestId('builder-node').evaluateAll((nodes) =>
        Object.fromEntries(
          nodes.map((n) => [
            n.getAttribute('data-step-id'),
            {
              x: Number.parseFloat((n as HTMLElement).style.left),
              y: Number.parseFloat((n as HTMLElement).style.top),
            },
          ]),
        ),
      );
    const saved = Object.fromEntries(workflowTemplate.layout.map((p) => [p.stepId, { x: p.x, y: p.y }]));
    expect(await positions()).toEqual(saved);
    await page.reload();
    await node('tester').waitFor();
    expect(await positions()).toEqual(saved);
    expect(await page.getByTestId('template-name').inputValue()).toBe('Slugify, tested');

    await step(page, 'run', async () => {
      await page.getByTestId('run-template').click();
      await page.waitForURL(/\/workflows\?run=/);
      await page.locator('[data-testid="workflow-view"][data-status="COMPLETED"]').waitFor();
    });
    expect(await stepStatuses(page)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const runId = new URL(page.url()).searchParams.get('run') as string;
    runs.push(runId);
    const { workflow } = await api<{ workflow: { templateId: string; status: string } }>(
      'query($id: ID!) { workflow(runId: $id) { templateId status } }',
      { id: runId },
    );
    expect(workflow).toEqual({ templateId, status: 'COMPLETED' });
    await shot(page, 'builder-run');
    await page.close();

    await onPhone(
      `/builder?template=${templateId}`,
      '[data-testid="builder-node"][data-step-id="tester"]',
      'builder-phone',
    );
  }, 90_000);

  it('follows a run waiting for a person in the inspector, steps back through it, and sees it move on', async () => {
    const { runWorkflow } = await api<{ runWorkflow: { runId: string } }>(
      'mutation($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId } }',
      disagreement,
    );
    const runId = runWorkflow.runId;
    runs.push(runId);
    const page = await open(`/inspector?run=${runId}`);
    const detail = page.getByTestId('actor-detail');
    await step(page, 'awaiting', async () => {
      await page.locator('[data-testid="actor-detail"][data-value="awaitingHuman"]').waitFor();
      await page.locator('[data-testid="chart-state"][data-state-id="workflow.awaitingHuman"][data-active]').waitFor();
    });
    expect(await detail.getAttribute('data-actor')).toBe(new URL(page.url()).searchParams.get('actor'));
    expect(await page.locator('[data-testid="chart-state"][data-active][data-leaf]').count()).toBe(1);
    // The recorded history arrives beside the live feed.
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('awaitingHuman');
    expect(await page.getByTestId('actor-context').textContent()).toContain(runId);
    // The run's other machines are listed by kind.
    for (const kind of ['workflow', 'execution', 'agent']) {
      await expect
        .poll(() => page.locator(`[data-testid="actor-list"] [data-kind="${kind}"]`).count())
        .toBeGreaterThan(0);
    }

    // Back one snapshot: an earlier state is lit; Live returns to now.
    const stepper = page.getByTestId('snapshot-stepper');
    const earlier = await step(page, 'step back', async () => {
      // Every recorded snapshot is there to step through, not only the one the live feed opened with.
      const recorded = Number(await page.getByTestId('snapshot-count').getAttribute('data-count'));
      expect(recorded).toBeGreaterThan(1);
      await expect.poll(async () => Number(await stepper.getByRole('slider').getAttribute('max')) + 1).toBe(recorded);
      await stepper.getByRole('button', { name: '‹ Previous' }).click();
      await expect.poll(() => detail.getAttribute('data-live')).toBeNull();
      return detail.getAttribute('data-value');
    });
    expect(earlier).not.toBe('awaitingHuman');
    expect(
      await page.locator(`[data-testid="chart-state"][data-state-id="workflow.${earlier}"][data-active]`).count(),
    ).toBe(1);
    await stepper.getByRole('button', { name: 'Live' }).click();
    await expect.poll(() => detail.getAttribute('data-value')).toBe('awaitingHuman');
    await shot(page, 'inspector');

    // A person decides (through the API): the lit state moves on, live.
    const { workflow } = await api<{ workflow: { conflicts: { id: string; options: string[] }[] } }>(
      'query($id: ID!) { workflow(runId: $id) { conflicts { id options } } }',
      { id: runId },
    );
    const conflict = workflow.conflicts[0] as { id: string; options: string[] };
    await api(
      'mutation($r: ID!, $c: ID!, $p: String!) { decideConflict(runId: $r, conflictId: $c, position: $p) { status } }',
      {
        r: runId,
        c: conflict.id,
        p: conflict.options[0],
      },
    );
    await step(page, 'decided', () =>
      page.locator('[data-testid="chart-state"][data-state-id="workflow.completed"][data-active]').waitFor(),
    );
    expect(await detail.getAttribute('data-value')).toBe('completed');
    expect(await page.getByTestId('actor-status').textContent()).toBe('done');
    await shot(page, 'inspector-decided');
    await page.close();

    await onPhone(`/inspector?run=${runId}`, '[data-testid="statechart"]', 'inspector-phone');
  }, 90_000);

  it('shows analytics with the numbers of the runs just made', async () => {
    // Run events reach ClickHouse in batches: wait until the server counts the completed runs.
    const completed = async () => {
      const { analytics } = await api<{ analytics: { trends: { completed: number }[] } }>(
        'query { analytics { trends { completed } } }',
      );
      return analytics.trends.reduce((sum, t) => sum + t.completed, 0);
    };
    // The runs the tests above made that completed: a test that failed earlier does not fail this one too.
    let finished = 0;
    for (const id of runs) {
      const { workflow } = await api<{ workflow: { status: string } | null }>(
        'query($id: ID!) { workflow(runId: $id) { status } }',
        { id },
      );
      if (workflow?.status === 'COMPLETED') finished += 1;
    }
    expect(finished).toBeGreaterThan(0);
    await expect.poll(completed, { timeout: 30_000 }).toBeGreaterThanOrEqual(finished);
    const { analytics } = await api<{
      analytics: {
        trends: { runs: number }[];
        agentPerformance: { agent: string }[];
        localShare: { savedUsd: number };
      };
    }>('query { analytics { trends { runs } agentPerformance { agent } localShare { savedUsd } } }');
    const totalRuns = analytics.trends.reduce((sum, t) => sum + t.runs, 0);

    const page = await open('/analytics');
    await step(page, 'numbers', () => page.getByTestId('kpi-runs-value').waitFor());
    expect(await page.getByTestId('kpi-runs-value').textContent()).toBe(String(totalRuns));
    expect(await page.getByTestId('kpi-local-value').textContent()).toBe('100%');
    expect(await page.getByTestId('kpi-saved-value').textContent()).toMatch(/^\$0\.\d+$/);
    expect(analytics.localShare.savedUsd).toBeGreaterThan(0);
    // Every agent that worked has its bars; the offline model costs nothing.
    const table = page.getByTestId('agent-table');
    await page.getByRole('button', { name: 'All agent numbers' }).click();
    for (const agent of ['code-generator', 'tester', 'architect']) {
      expect(analytics.agentPerformance.map((a) => a.agent)).toContain(agent);
      expect(await table.locator(`[data-agent="${agent}"]`).count()).toBe(1);
    }
    const conflicts = page.getByTestId('conflict-table');
    expect(await conflicts.textContent()).toMatch(/human/i);
    expect(await page.getByTestId('agent-charts').locator('svg').count()).toBe(3);

    // Another window asks again: the 24 h window goes to the server (a `since` about a day ago) and its answer is drawn.
    const dayAgo = Date.now() - 24 * 3_600_000;
    const asked = page.waitForResponse((response) => {
      const body = response.request().postData();
      const since = body?.includes('"since"')
        ? (JSON.parse(body) as { variables?: { since?: unknown } }).variables?.since
        : undefined;
      return typeof since === 'string' && Math.abs(Date.parse(since) - dayAgo) < 3_600_000;
    });
    await page.getByTestId('since').getByRole('radio', { name: '24 h' }).check();
    expect((await asked).ok()).toBe(true);
    await page.locator('[data-testid="analytics"]:not([data-loading])').waitFor();
    expect(await page.getByTestId('kpi-runs-value').textContent()).toBe(String(totalRuns));
    await shot(page, 'analytics');
    await page.close();

    await onPhone('/analytics', '[data-testid="kpi-runs-value"]', 'analytics-phone');
    expect(pageErrors).toEqual([]);
    expect(runs.length).toBe(3);
  }, 90_000);
});
