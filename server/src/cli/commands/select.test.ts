import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtinAgents } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import { type SelectIo, selectCommand } from './select';

const HELD_OUT = fileURLToPath(
  new URL('../../../../actors/src/selector/fixtures/selection-heldout.jsonl', import.meta.url),
);
const PUBLIC = fileURLToPath(new URL('../../../../../shared/bench/selection-public.jsonl', import.meta.url));

function harness(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: SelectIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT: no such file');
      return text;
    },
    agents: builtinAgents,
  };
  return { io, out, err };
}

interface Labelled {
  task: string;
  primary: string;
  multi?: string[];
}

/** Runs `select --jsonl` on a labelled file, as the bench does, and scores it. */
async function score(path: string) {
  const text = await readFile(path, 'utf8');
  const rows = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
  const { io, out, err } = harness();
  const code = await selectCommand(['--jsonl', path], { ...io, readFile: (p) => readFile(p, 'utf8') });
  expect({ code, err }).toEqual({ code: 0, err: [] });
  const answers = out.map((l) => JSON.parse(l) as { chosen: string[] });
  const hits = rows.filter((row, i) => answers[i]?.chosen[0] === row.primary).length;
  return { rows: rows.length, top1: hits / rows.length };
}

describe('selectCommand', () => {
  it('prints a ranking table with the chosen agents and the explanation of each score', async () => {
    const { io, out } = harness();
    const code = await selectCommand(['Implement the importer, test it and deploy it'], io);
    expect(code).toBe(0);
    expect(out[1]).toBe('chosen:  code-generator, tester, deployer');
    expect(out.join('\n')).toMatch(/1\. Implement the importer {2}-> {2}code-generator/);
    expect(out.join('\n')).toMatch(/ {2}1 {2}code-generator .*\n {5}capability 0\.\d\d from "implement"/);
    expect(out.filter((l) => l.includes('history neutral'))).toHaveLength(builtinAgents.length);
  });

  it('joins unquoted words into one task', async () => {
    const { io, out } = harness();
    await selectCommand(['--json', 'profile', 'the', 'slow', 'endpoint'], io);
    expect(JSON.parse(out[0] as string).task).toBe('profile the slow endpoint');
  });

  it('prints one JSON object with --json', async () => {
    const { io, out } = harness();
    expect(await selectCommand(['--json', 'Write a README for the SDK'], io)).toBe(0);
    expect(out).toHaveLength(1);
    const selection = JSON.parse(out[0] as string);
    expect(selection.chosen).toEqual(['documenter']);
    expect(selection.ranking).toHaveLength(builtinAgents.length);
    expect(selection.ranking[0]).toMatchObject({ agent: 'documenter', parts: { history: 0, load: 0 } });
  });

  it('prints one compact JSON line per task with --jsonl, skipping blank lines', async () => {
    const file = '{"task":"Deploy to staging"}\n\n{"task":"Write unit tests for the parser","primary":"tester"}\n';
    const { io, out, err } = harness({ 'tasks.jsonl': file });
    expect(await selectCommand(['--jsonl', 'tasks.jsonl'], io)).toBe(0);
    expect(err).toEqual([]);
    const lines = out.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.chosen)).toEqual([['deployer'], ['tester']]);
    expect(Object.keys(lines[0])).toEqual(['task', 'ranking', 'chosen']);
    expect(Object.keys(lines[0].ranking[0])).toEqual(['agent', 'score', 'why']);
  });

  it('reports a bad line by its number, still answers the others, and exits 1', async () => {
    const file = '{"task":"Deploy to staging"}\nnot json\n{"prompt":"no task"}\n{"task":"Fix the crash"}';
    const { io, out, err } = harness({ 'tasks.jsonl': file });
    expect(await selectCommand(['--jsonl', 'tasks.jsonl'], io)).toBe(1);
    expect(out).toHaveLength(2);
    expect(err[0]).toMatch(/^tasks\.jsonl:2: not valid JSON/);
    expect(err[1]).toBe('tasks.jsonl:3: expected an object with a non-empty "task" string');
  });

  it('says which file it could not read and exits 1', async () => {
    const { io, err } = harness();
    expect(await selectCommand(['--jsonl', 'missing.jsonl'], io)).toBe(1);
    expect(err[0]).toMatch(/^cannot read missing\.jsonl: ENOENT/);
  });

  it('prints usage and exits 2 without a task or with an unknown option', async () => {
    const empty = harness();
    expect(await selectCommand([], empty.io)).toBe(2);
    expect(empty.err[0]).toMatch(/no task given\nusage: revo select/);
    const unknown = harness();
    expect(await selectCommand(['--fast', 'x'], unknown.io)).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown option --fast/);
  });

  it('generalises: at least 85% top-1 on the held-out tasks written before tuning', async () => {
    const { rows, top1 } = await score(HELD_OUT);
    expect(rows).toBeGreaterThanOrEqual(60);
    expect(top1).toBeGreaterThanOrEqual(0.85);
  });

  it.skipIf(!existsSync(PUBLIC))(
    `reaches 90% top-1 on the public set${existsSync(PUBLIC) ? '' : ` (skipped: ${PUBLIC} not found)`}`,
    async () => {
      const { top1 } = await score(PUBLIC);
      expect(top1).toBeGreaterThanOrEqual(0.9);
    },
  );
});
