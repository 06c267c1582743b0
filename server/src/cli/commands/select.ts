import { type AgentProfile, type Selection, selectAgents } from '@revo/actors';

/** What `select` may touch: two output streams, a file reader and the agents to rank. */
export interface SelectIo {
  out: (line: string) => void;
  err: (line: string) => void;
  readFile: (path: string) => Promise<string>;
  agents: readonly AgentProfile[];
}

const USAGE = [
  'usage: revo select "<task>"            ranking table with explanations',
  '       revo select --json "<task>"     one JSON object',
  '       revo select --jsonl <file>      one JSON line per input line {"task": "..."}',
].join('\n');

const round = (x: number): number => Math.round(x * 1000) / 1000;
const signed = (x: number): string => `${x < 0 ? '-' : '+'}${Math.abs(x).toFixed(3)}`;

/** The compact shape of one selection, as `--jsonl` prints it (one line per task). */
function compact(selection: Selection) {
  return {
    task: selection.task,
    ranking: selection.ranking.map((r) => ({ agent: r.agent, score: round(r.score), why: r.why })),
    chosen: selection.chosen,
  };
}

/** The whole selection with numbers rounded, as `--json` prints it. */
function full(selection: Selection) {
  return {
    ...selection,
    ranking: selection.ranking.map((r) => ({
      ...r,
      score: round(r.score),
      parts: {
        capability: round(r.parts.capability),
        history: round(r.parts.history),
        load: round(r.parts.load),
        cost: round(r.parts.cost),
      },
    })),
    clauses: selection.clauses.map((c) => ({ ...c, score: round(c.score) })),
  };
}

function table(selection: Selection): string[] {
  const width = Math.max(5, ...selection.ranking.map((r) => r.agent.length));
  const lines = [`task:    ${selection.task}`, `chosen:  ${selection.chosen.join(', ')}`];
  if (selection.clauses.length > 1) {
    lines.push('jobs:');
    selection.clauses.forEach((c, i) => {
      lines.push(`  ${i + 1}. ${c.text}  ->  ${c.agent} (${c.score.toFixed(3)})`);
    });
  }
  lines.push('', `  #  ${'agent'.padEnd(width)}  score   capab.  history  load     cost`);
  selection.ranking.forEach((r, i) => {
    const p = r.parts;
    lines.push(
      `${String(i + 1).padStart(3)}  ${r.agent.padEnd(width)}  ${r.score.toFixed(3).padStart(6)}  ` +
        `${p.capability.toFixed(3)}   ${signed(p.history)}   ${signed(p.load)}   ${signed(p.cost)}`,
      `     ${r.why}`,
    );
  });
  return lines;
}

async function runJsonl(path: string, io: SelectIo): Promise<number> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    io.err(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  let failed = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      failed = true;
      io.err(`${path}:${i + 1}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const task = (row as { task?: unknown } | null)?.task;
    if (typeof task !== 'string' || task.trim() === '') {
      failed = true;
      io.err(`${path}:${i + 1}: expected an object with a non-empty "task" string`);
      return;
    }
    io.out(JSON.stringify(compact(selectAgents(task, io.agents))));
  });
  return failed ? 1 : 0;
}

/** `revo select`: shows which agents a task would go to and why; returns the exit code. */
export async function selectCommand(args: string[], io: SelectIo): Promise<number> {
  let mode: 'table' | 'json' | 'jsonl' = 'table';
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    }
    if (arg === '--json') mode = 'json';
    else if (arg === '--jsonl') mode = 'jsonl';
    else if (arg.startsWith('--')) {
      io.err(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else rest.push(arg);
  }
  if (mode === 'jsonl') {
    if (rest.length !== 1) {
      io.err(`--jsonl takes exactly one file\n${USAGE}`);
      return 2;
    }
    return runJsonl(rest[0] as string, io);
  }
  const task = rest.join(' ').trim();
  if (task === '') {
    io.err(`no task given\n${USAGE}`);
    return 2;
  }
  const selection = selectAgents(task, io.agents);
  if (mode === 'json') io.out(JSON.stringify(full(selection)));
  else for (const line of table(selection)) io.out(line);
  return 0;
}
