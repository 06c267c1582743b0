import { parseArgs } from 'node:util';
import { Plan, builtinAgents, planProblems } from '@revo/actors';
import { z } from 'zod';
import type { Env } from '../../env';
import { createAnalyticsService } from '../../runtime/analytics-service';
import { loadAgents } from '../../runtime/create-runtime';
import { InputError } from '../../runtime/start-workflow';
import type { CliIo } from '../cli-io';

/** A plan file: a plan (`{"steps": [...]}`), or a task with its plan (`{"task": "...", "plan": {...}}`). */
const PlanFile = z.union([z.object({ task: z.string().min(1), plan: Plan }), Plan]);

/**
 * `revo predict <plan.json> [--task "..."]`: how the plan is expected to go (success probability,
 * duration, cost, risks, confidence) from the history in ClickHouse, as one JSON object.
 */
export async function predictCommand(args: string[], io: CliIo, env: Env): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { task: { type: 'string' } } });
  const [file] = positionals;
  if (!file) throw new InputError('usage: npm run revo -- predict <plan.json> [--task "<the task>"]');
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not JSON`);
  }
  const parsed = PlanFile.safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('; ')}`,
    );
  }
  const plan = 'plan' in parsed.data ? parsed.data.plan : parsed.data;
  const agents = env.REVO_AGENTS_FILE ? await loadAgents(env.REVO_AGENTS_FILE) : [...builtinAgents];
  const problems = planProblems(plan, new Set(agents.map((a) => a.id as string)));
  if (problems.length > 0) throw new InputError(`${file}: ${problems.join('; ')}`);
  const task =
    values.task ?? ('task' in parsed.data ? parsed.data.task : plan.rationale || plan.steps[0]?.instruction || '');
  if (!env.REVO_ANALYTICS)
    throw new InputError('analytics is off (REVO_ANALYTICS=0): there is no history to predict from');
  const analytics = await createAnalyticsService(env, agents, io.err);
  try {
    io.out(JSON.stringify(await analytics.predictor.predict({ runId: 'prediction', task, plan }), null, 2));
    return 0;
  } finally {
    await analytics.close();
  }
}
