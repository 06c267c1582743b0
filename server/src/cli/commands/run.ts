import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Runtime } from '../../runtime/create-runtime';
import { type RunReport, runReport } from '../../runtime/run-report';
import { InputError, settledOrWaiting, startWorkflow } from '../../runtime/start-workflow';
import type { CliIo } from '../cli-io';
import { progressLine } from '../progress-printer';
import { printReport } from '../report-printer';

const EXIT = { completed: 0, failed: 1, cancelled: 130, awaitingHuman: 3 } as const;

/**
 * `revo run [--json] [--mode m] [--agents a,b] [--decide position] [--file path|-] "<task>"`: runs
 * a whole workflow with live progress and ends with the answer, the cost breakdown and the local
 * share; with `--json` the last line of stdout is the report as one JSON object.
 */
export async function runCommand(args: string[], io: CliIo, runtime: Runtime): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      mode: { type: 'string', default: 'workflow' },
      agents: { type: 'string' },
      decide: { type: 'string' },
      file: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const task = values.file ? await readTask(values.file, io) : positionals.join(' ');
  if (!['single', 'multi', 'workflow'].includes(values.mode))
    throw new InputError(`--mode must be single, multi or workflow, not "${values.mode}"`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
    throw new InputError('--concurrency must be a positive whole number');
  const progress = values.json ? io.err : io.out;
  const unsubscribe = runtime.events.subscribe((event) => {
    const line = progressLine(event);
    if (line) progress(line);
  });
  const { actor } = startWorkflow(runtime, {
    task,
    mode: values.mode as 'single' | 'multi' | 'workflow',
    ...(values.agents
      ? {
          agents: values.agents
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        }
      : {}),
    ...(concurrency ? { options: { ...runtime.options, concurrency } } : {}),
  });
  if (runtime.status.offlineOnly) {
    progress(`  (offline model: no Ollama at ${runtime.status.ollamaBaseUrl}; answers are deterministic placeholders)`);
  }
  const onSigint = () => actor.send({ type: 'workflow.cancel', reason: 'interrupted (Ctrl-C)' });
  process.once('SIGINT', onSigint);
  try {
    let snapshot = await settledOrWaiting(actor);
    while (snapshot.status !== 'done') {
      const conflict = snapshot.context.conflicts.find((c) => c.status === 'escalated');
      const position =
        values.decide ??
        (values.json ? undefined : await askDecision(io, conflict?.tally.map((t) => t.position) ?? []));
      if (!conflict || !position) break;
      actor.send({
        type: 'conflict.decide',
        conflictId: conflict.id,
        position,
        by: values.decide ? 'the --decide option' : 'the person at the terminal',
      });
      snapshot = await settledOrWaiting(actor);
    }
    const status: RunReport['status'] =
      snapshot.status === 'done' ? (snapshot.output?.status ?? 'failed') : 'awaitingHuman';
    const report = runReport(snapshot.context, status, runtime.events.events);
    if (values.json) io.out(JSON.stringify(report));
    else printReport(report, io.out);
    return EXIT[status];
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    actor.stop();
  }
}

async function readTask(file: string, io: CliIo): Promise<string> {
  try {
    return file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read the task from ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Asks at the terminal which position wins; `undefined` when nobody can answer (no TTY). */
async function askDecision(io: CliIo, options: string[]): Promise<string | undefined> {
  if (!io.interactive || options.length === 0) return undefined;
  io.out(`\nThe agents could not agree. Decide:\n${options.map((o, i) => `  ${i + 1}) ${o}`).join('\n')}`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question('Your choice (number or text): ')).trim();
    const index = Number(answer);
    return Number.isInteger(index) && index >= 1 && index <= options.length ? options[index - 1] : answer || undefined;
  } finally {
    rl.close();
  }
}
