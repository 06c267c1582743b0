/**
 * Selection benchmark: runs the command line (`revo select --jsonl`) over a labelled JSONL file and
 * prints top-1 accuracy, top-1 acceptable, mean F1 of the chosen set on compound rows, and the
 * misses by agent. Usage: `npm run bench:selection -- [file]` (default: the shared public set).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Row {
  line: number;
  task: string;
  primary: string;
  acceptable: string[];
  multi?: string[];
}

interface Output {
  task: string;
  ranking: { agent: string; score: number; why: string }[];
  chosen: string[];
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_FILE = resolve(root, '../shared/bench/selection-public.jsonl');

function readRows(file: string): Row[] {
  const rows: Row[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (text.trim() === '') return;
      const row = JSON.parse(text) as Omit<Row, 'line'>;
      if (typeof row.task !== 'string' || typeof row.primary !== 'string') {
        throw new Error(`${file}:${i + 1}: a row needs "task" and "primary" strings`);
      }
      rows.push({ ...row, acceptable: row.acceptable ?? [row.primary], line: i + 1 });
    });
  return rows;
}

/** Runs the real command line, as a user would, and returns its JSON lines. */
function runCli(file: string): Promise<{ outputs: Output[]; code: number; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn('npm', ['run', '-s', 'revo', '--', 'select', '--jsonl', file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      const outputs = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Output);
      done({ outputs, code: code ?? 1, stderr, ms: performance.now() - started });
    });
  });
}

function f1(chosen: readonly string[], wanted: readonly string[]): number {
  const hits = chosen.filter((a) => wanted.includes(a)).length;
  if (hits === 0) return 0;
  const precision = hits / chosen.length;
  const recall = hits / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function main(): Promise<void> {
  const arg = process.argv[2];
  const file = arg ? resolve(process.cwd(), arg) : DEFAULT_FILE;
  if (!existsSync(file)) {
    const hint = arg ? '' : ' (the default is ../shared/bench/selection-public.jsonl beside the repo)';
    console.error(`selection bench: no such file ${file}${hint}`);
    process.exitCode = 1;
    return;
  }
  const rows = readRows(file);
  const run = await runCli(file);
  if (run.outputs.length !== rows.length) {
    console.error(run.stderr.trim());
    console.error(`selection bench: ${rows.length} rows in, ${run.outputs.length} answers out (exit ${run.code})`);
    process.exitCode = 1;
    return;
  }
  let top1 = 0;
  let acceptable = 0;
  const f1s: number[] = [];
  const perAgent = new Map<string, { rows: number; hits: number; missedAs: Map<string, number> }>();
  rows.forEach((row, i) => {
    const out = run.outputs[i] as Output;
    if (out.task !== row.task) throw new Error(`line ${row.line}: answer is for another task`);
    const predicted = out.chosen[0] ?? out.ranking[0]?.agent ?? '(none)';
    const stats = perAgent.get(row.primary) ?? { rows: 0, hits: 0, missedAs: new Map() };
    perAgent.set(row.primary, stats);
    stats.rows++;
    if (predicted === row.primary) {
      top1++;
      stats.hits++;
    } else stats.missedAs.set(predicted, (stats.missedAs.get(predicted) ?? 0) + 1);
    if (row.acceptable.includes(predicted)) acceptable++;
    if (row.multi) f1s.push(f1(out.chosen, row.multi));
  });
  const meanF1 = f1s.length > 0 ? f1s.reduce((a, b) => a + b, 0) / f1s.length : null;
  const misses: Record<string, Record<string, number>> = {};
  console.log(`selection bench: ${file}`);
  console.log('agent             rows  top-1    missed as');
  for (const [agent, s] of [...perAgent].sort(([a], [b]) => a.localeCompare(b))) {
    const missed = [...s.missedAs].map(([as, n]) => `${as} x${n}`).join(', ');
    if (s.missedAs.size > 0) misses[agent] = Object.fromEntries(s.missedAs);
    console.log(`${agent.padEnd(16)} ${String(s.rows).padStart(5)}  ${pct(s.hits / s.rows).padStart(6)}   ${missed}`);
  }
  console.log('');
  console.log(`rows              ${rows.length}`);
  console.log(`top-1             ${pct(top1 / rows.length)}`);
  console.log(`top-1 acceptable  ${pct(acceptable / rows.length)}`);
  console.log(`multi F1          ${meanF1 === null ? 'n/a' : meanF1.toFixed(3)} over ${f1s.length} rows`);
  console.log(`wall time         ${run.ms.toFixed(0)} ms (whole command, including start-up)`);
  const summary = {
    bench: 'selection',
    file,
    rows: rows.length,
    top1: top1 / rows.length,
    top1Acceptable: acceptable / rows.length,
    multiRows: f1s.length,
    multiF1: meanF1,
    misses,
    cliExitCode: run.code,
  };
  console.log(JSON.stringify(summary));
}

await main();
