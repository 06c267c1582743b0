import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from '../testing/server-process';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(root, 'server/src/cli/main.ts');

/** Runs `revo` the way `npm run -s revo --` does (tsx), offline, and returns what it printed. */
function revo(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      {
        cwd: root,
        env: { ...process.env, REVO_OFFLINE: '1', REVO_ANALYTICS: '0', ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '');

describe('revo run', () => {
  it('runs a compound task and prints the report as the last JSON line', async () => {
    const { code, stdout, stderr } = await revo(['run', '--json', 'Implement a rate limiter, test it and deploy it']);
    expect(code).toBe(0);
    const report = lastJson(stdout);
    expect(report.status).toBe('completed');
    expect(report.steps.map((s: { agent: string }) => s.agent)).toEqual(
      expect.arrayContaining(['code-generator', 'tester']),
    );
    for (const step of report.steps)
      expect(step).toMatchObject({
        id: expect.any(String),
        agent: expect.any(String),
        dependsOn: expect.any(Array),
        status: 'succeeded',
      });
    expect(report.usage.calls).toBeGreaterThanOrEqual(report.steps.length);
    expect(report.localShare).toBe(1);
    expect(report.offline).toBe(true);
    expect(stderr).toContain('started');
  });

  it('stops with awaitingHuman when three agents hold three positions, and --decide settles it', async () => {
    // The offline model is deterministic: on this question these three agents each keep their own pick.
    const args = ['run', '--json', '--mode', 'multi', '--agents', 'architect,performance,security'];
    const task = 'Compare REST, GraphQL and gRPC for the public API';
    const waiting = await revo([...args, task]);
    expect(waiting.code).toBe(3);
    const open = lastJson(waiting.stdout);
    expect(open.status).toBe('awaitingHuman');
    expect(open.conflicts[0]).toMatchObject({ status: 'escalated', rounds: 2 });
    expect(open.conflicts[0].tally.map((t: { position: string }) => t.position).sort()).toEqual([
      'graphql',
      'grpc',
      'rest',
    ]);
    const decided = await revo([...args, '--decide', 'gRPC', task]);
    expect(decided.code).toBe(0);
    const report = lastJson(decided.stdout);
    expect(report.status).toBe('completed');
    expect(report.conflicts[0]).toMatchObject({ status: 'resolved', resolution: 'human', winner: 'grpc' });
    expect(report.answer).toMatch(/^Decision: grpc \(decided by the --decide option\)/);
  });

  it('rejects bad input with a clear message and exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revo-cli-'));
    const big = join(dir, 'big.txt');
    await writeFile(big, 'x'.repeat(1024 * 1024));
    const bad = join(dir, 'agents.json');
    await writeFile(bad, '{"agents": [{"id": "Not Kebab"}]}');
    const cases = await Promise.all([
      revo(['run', '']),
      revo(['run', '--file', big]),
      revo(['run', '--agents', 'ghost', 'hello']),
      revo(['agents'], { REVO_AGENTS_FILE: bad }),
      revo(['run', '--mode', 'swarm', 'hello']),
      revo(['run', 'x'], { REVO_CONCURRENCY: 'many' }),
    ]);
    expect(cases.map((c) => c.code)).toEqual([2, 2, 2, 2, 2, 1]);
    expect(cases[0]?.stderr).toContain('the message is empty');
    expect(cases[1]?.stderr).toContain('longer than 100,000 characters');
    expect(cases[2]?.stderr).toContain('unknown agent "ghost"; known agents: code-generator');
    expect(cases[3]?.stderr).toContain('agents.json: agents[0].id: agent ids are kebab-case');
    expect(cases[4]?.stderr).toContain('--mode must be single, multi or workflow');
    expect(cases[5]?.stderr).toContain('REVO_CONCURRENCY');
    for (const c of cases) expect(c.stderr).not.toContain('    at ');
  }, 120_000);
});

describe('revo chat', () => {
  it('answers piped messages, switches mode, and settles a disagreement with /decide', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'chat'], {
      cwd: root,
      env: { ...process.env, REVO_OFFLINE: '1', REVO_ANALYTICS: '0' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stdin.end(
      [
        'Write Vitest unit tests for the cart reducer',
        '/multi',
        '/agents architect,performance,security',
        'Compare REST, GraphQL and gRPC for the public API',
        '/decide grpc',
        '',
      ].join('\n'),
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('reVo chat: offline model');
    expect(stdout).toMatch(/reVo \[tester · offline model · 1 calls/);
    expect(stdout).toContain('The agents could not agree (rest, graphql, grpc)');
    expect(stdout).toContain('Decision: grpc (decided by you)');
  });
});

describe('revo analytics and predict (chDB under a fresh REVO_DATA_DIR)', () => {
  it('sees the runs just made, imports a history, and predicts a plan from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revo-cli-analytics-'));
    const env = { REVO_ANALYTICS: '1', REVO_DATA_DIR: dir };
    expect((await revo(['run', '--json', 'Write a slugify function'], env)).code).toBe(0);
    expect((await revo(['run', '--json', 'Document the billing API'], env)).code).toBe(0);
    const perf = await revo(['analytics', 'agent-performance', '--json'], env);
    expect(perf.code).toBe(0);
    const rows = JSON.parse(perf.stdout) as {
      agent: string;
      runs: number;
      successRate: number;
      p50LatencyMs: number;
      costPerTask: number;
    }[];
    expect(rows.map((r) => r.agent).sort()).toEqual(['code-generator', 'documenter', 'tester']);
    for (const row of rows)
      expect(row).toMatchObject({
        runs: expect.any(Number),
        successRate: expect.any(Number),
        p50LatencyMs: expect.any(Number),
        costPerTask: 0,
      });

    const events = join(dir, 'events.jsonl');
    const at = Date.parse('2026-11-01T10:00:00Z');
    const lines = Array.from({ length: 3 }, (_, n) => [
      { type: 'workflow.created', runId: `imp-${n}`, task: 'Deploy the service', mode: 'workflow', at, seq: 1 },
      { type: 'step.failed', runId: `imp-${n}`, stepId: 'd', agent: 'deployer', error: 'x', at: at + 1, seq: 2 },
    ]).flat();
    await writeFile(events, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const imported = await revo(['analytics', 'import', events], env);
    expect(imported.stderr).toContain('imported 6 events');
    const after = JSON.parse(
      (await revo(['analytics', 'agent-performance', '--since', '2026-10-01', '--json'], env)).stdout,
    ) as { agent: string; successRate: number }[];
    expect(after.find((r) => r.agent === 'deployer')?.successRate).toBe(0);

    await writeFile(join(dir, 'bad.jsonl'), '{"type":"x"}\nnot json\n');
    const bad = await revo(['analytics', 'import', join(dir, 'bad.jsonl')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1: .*runId.*\n.*line 2: not JSON/s);

    const plan = join(dir, 'plan.json');
    await writeFile(
      plan,
      JSON.stringify({
        task: 'Write and test a parser',
        plan: {
          steps: [
            { id: 'a', agent: 'code-generator', instruction: 'write' },
            { id: 'b', agent: 'tester', instruction: 'test', dependsOn: ['a'] },
          ],
        },
      }),
    );
    const predicted = await revo(['predict', plan], env);
    expect(predicted.code).toBe(0);
    expect(JSON.parse(predicted.stdout)).toMatchObject({
      successProbability: expect.any(Number),
      basis: expect.stringContaining('finished runs'),
    });
  }, 240_000);
});

describe('revo analytics while a server holds the embedded store', () => {
  it('asks the running server instead of failing on the locked folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revo-cli-busy-'));
    const server = await startServerProcess({ REVO_OFFLINE: '1', REVO_ANALYTICS: '1', REVO_DATA_DIR: dir });
    try {
      const started = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { runWorkflow(task: "Write a slugify function") { runId } }' }),
      });
      expect(started.status).toBe(200);
      const env = { REVO_ANALYTICS: '1', REVO_DATA_DIR: dir, PORT: String(server.port) };
      let rows: { agent: string; runs: number }[] = [];
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && rows.length === 0; ) {
        const result = await revo(['analytics', 'agent-performance', '--json'], env);
        expect(result.code).toBe(0);
        // Who holds the folder is asked before chDB is, so chDB's own refusal never reaches stderr.
        expect(result.stderr).not.toMatch(/Cannot lock|Code: 76/);
        rows = JSON.parse(result.stdout);
      }
      expect(rows.find((r) => r.agent === 'code-generator')?.runs).toBe(1);
    } finally {
      await server.kill('SIGTERM');
    }
  }, 240_000);
});
