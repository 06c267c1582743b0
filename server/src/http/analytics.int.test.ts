import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestServer } from '../testing/test-server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('analytics through the API (chDB embedded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revo-analytics-api-'));
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ REVO_ANALYTICS: '1', REVO_DATA_DIR: dir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runToEnd = async (task: string) => {
    const started = await gql<{ runWorkflow: { runId: string } }>(
      server.url,
      'mutation($t: String!) { runWorkflow(task: $t) { runId } }',
      { t: task },
    );
    const runId = started.data?.runWorkflow.runId as string;
    const feed = await server.api.workflowFeed(runId);
    for await (const _ of feed) {
      // drain until the run ends
    }
    return runId;
  };

  it('counts the runs just made, per agent, with cost, local share and ratings', async () => {
    const runs = [
      await runToEnd('Write a slugify function'),
      await runToEnd('Write a CSV parser'),
      await runToEnd('Document the billing API'),
    ];
    const rated = await gql<{ workflow: { steps: { id: string }[] } }>(
      server.url,
      'query($id: ID!) { workflow(runId: $id) { steps { id } } }',
      { id: runs[0] },
    );
    await gql(server.url, 'mutation($r: ID!, $s: ID!) { giveFeedback(runId: $r, stepId: $s, rating: UP) { id } }', {
      r: runs[0],
      s: rated.data?.workflow.steps[0]?.id,
    });
    await server.analyticsService?.sink.flush();
    const result = await gql<{
      analytics: {
        agentPerformance: {
          agent: string;
          runs: number;
          successRate: number;
          ratings: number;
          satisfaction: number | null;
        }[];
        localShare: { calls: number; localShare: number; savedUsd: number } | null;
        trends: { runs: number }[];
      };
    }>(
      server.url,
      '{ analytics { agentPerformance { agent runs successRate ratings satisfaction } localShare { calls localShare savedUsd } trends { runs } } }',
    );
    expect(result.errors).toBeUndefined();
    const byAgent = new Map(result.data?.analytics.agentPerformance.map((r) => [r.agent, r]));
    expect(byAgent.get('code-generator')).toMatchObject({ runs: 2, ratings: 1, satisfaction: 1 });
    expect(byAgent.get('documenter')).toMatchObject({ runs: 1, successRate: 1 });
    expect(result.data?.analytics.localShare?.localShare).toBe(1);
    expect(result.data?.analytics.trends.reduce((n, d) => n + d.runs, 0)).toBe(3);
  });

  it('predicts a plan from that history and says on what basis', async () => {
    const planned = await gql<{
      planWorkflow: { prediction: { successProbability: number; basis: string; confidence: number } };
    }>(
      server.url,
      'mutation { planWorkflow(task: "Write a date formatter") { prediction { successProbability basis confidence } } }',
    );
    const prediction = planned.data?.planWorkflow.prediction;
    expect(prediction?.basis).toMatch(/finished runs/);
    expect(prediction?.successProbability).toBeGreaterThan(0.5);
    expect(prediction?.confidence).toBeLessThan(0.2);
  });
});
