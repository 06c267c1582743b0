import { readFile } from 'node:fs/promises';
import { builtinAgents } from '@revo/actors';
import { loadEnv } from '../env';
import { createRuntime, loadAgents } from '../runtime/create-runtime';
import { InputError } from '../runtime/start-workflow';
import type { CliIo } from './cli-io';
import { chatCommand } from './commands/chat';
import { runCommand } from './commands/run';
import { selectCommand } from './commands/select';
import { serveCommand } from './commands/serve';

const USAGE = `reVo: multi-agent orchestration

usage: npm run revo -- <command> [options]

  run [--json] [--mode single|multi|workflow] [--agents a,b] [--decide <position>] [--file <path>|-] "<task>"
        run a task as a workflow with live progress; ends with the answer, costs and local share
  select [--json] "<task>"        rank the agents for a task and explain each score
  select --jsonl <file>            one JSON line per input line's "task"
  agents                           list the agents (built-in plus REVO_AGENTS_FILE)
  serve                            the API server: GraphQL and GraphiQL at http://127.0.0.1:4000/graphql (PORT)
  chat                             a chat in the terminal
  help                             this text`;

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path, 'utf8'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return runCommand(args, io, await createRuntime(loadEnv()));
    case 'select':
      return selectCommand(args, { ...io, agents: await loadAgents(loadEnv().REVO_AGENTS_FILE) });
    case 'agents': {
      const runtime = await createRuntime(loadEnv());
      for (const a of runtime.agents)
        io.out(
          `${a.id.padEnd(16)} ${a.name}: ${a.description}\n${' '.repeat(17)}models: ${runtime.chains[a.id]?.map((m) => m.id).join(' → ')}`,
        );
      return 0;
    }
    case 'serve':
      return serveCommand(loadEnv(), io);
    case 'chat':
      return chatCommand(args, io, await createRuntime(loadEnv()));
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      io.out(`\nagents: ${builtinAgents.map((a) => a.id).join(', ')}`);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const input =
      error instanceof InputError ||
      (error as Error)?.name === 'AgentConfigError' ||
      (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    io.err(`revo: ${(error as Error)?.message ?? String(error)}`);
    process.exitCode = input ? 2 : 1;
  },
);
