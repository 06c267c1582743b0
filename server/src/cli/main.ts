import { readFile } from 'node:fs/promises';
import { builtinAgents } from '@revo/actors';
import { type Env, loadEnv } from '../env';
import { type AnalyticsService, createAnalyticsService } from '../runtime/analytics-service';
import { type Runtime, createRuntime, loadAgents } from '../runtime/create-runtime';
import { InputError } from '../runtime/start-workflow';
import type { CliIo } from './cli-io';
import { analyticsCommand } from './commands/analytics';
import { chatCommand } from './commands/chat';
import { predictCommand } from './commands/predict';
import { runCommand } from './commands/run';
import { selectCommand } from './commands/select';
import { serveCommand } from './commands/serve';
import { startCommand } from './commands/start';

const USAGE = `reVo: multi-agent orchestration

usage: npm run revo -- <command> [options]

  run [--json] [--mode single|multi|workflow] [--agents a,b] [--decide <position>] [--file <path>|-] "<task>"
        run a task as a workflow with live progress; ends with the answer, costs and local share
  select [--json] "<task>"        rank the agents for a task and explain each score
  select --jsonl <file>            one JSON line per input line's "task"
  agents                           list the agents (built-in plus REVO_AGENTS_FILE)
  analytics <query> [--since 7d] [--json]
                                   a named ClickHouse query as a table (or JSON rows); queries:
                                   agent-performance, agent-specialisation, cost-breakdown, local-share,
                                   trends, workflow-success-by-shape, conflicts, agent-history, workflow-history
  analytics import <events.jsonl>  load a history of run events (one JSON event per line)
  predict <plan.json> [--task ..]  the prediction for a plan (success, duration, cost, risks) as JSON
  start                            the API server and the web app (what \`npm start\` runs; WEB_PORT, PORT)
  serve                            the API server: GraphQL and GraphiQL at http://127.0.0.1:4000/graphql (PORT);
                                   with REDIS_URL also a replica: REVO_ROLES=server,worker,ingester (the default)
  worker                           only agents' model calls, taken from Redis (REVO_ROLES=worker; needs REDIS_URL)
  ingester                         only run events from Redis into ClickHouse (REVO_ROLES=ingester; needs REDIS_URL)
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

/**
 * Runs a command on a runtime whose events also go to analytics (and whose selector and predictor
 * read its history). Analytics that cannot open is reported and skipped, never fatal.
 */
async function withAnalytics(env: Env, command: (runtime: Runtime) => Promise<number>): Promise<number> {
  let analytics: AnalyticsService | undefined;
  if (env.REVO_ANALYTICS) {
    try {
      analytics = await createAnalyticsService(env, await loadAgents(env.REVO_AGENTS_FILE), io.err);
    } catch (error) {
      io.err(`(analytics off: ${(error as Error).message})`);
    }
  }
  const runtime = await createRuntime(
    env,
    analytics ? { history: analytics.history, predictor: analytics.predictor } : {},
  );
  const stop = analytics ? runtime.events.subscribe((event) => analytics.record(event)) : undefined;
  try {
    return await command(runtime);
  } finally {
    stop?.();
    await analytics?.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return withAnalytics(loadEnv(), (runtime) => runCommand(args, io, runtime));
    case 'analytics':
      return analyticsCommand(args, io, loadEnv());
    case 'predict':
      return predictCommand(args, io, loadEnv());
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
    case 'worker':
    case 'ingester':
      return serveCommand(loadEnv(undefined, { REVO_ROLES: command }), io);
    case 'start':
      return startCommand(loadEnv(), io);
    case 'chat':
      return withAnalytics(loadEnv(), (runtime) => chatCommand(args, io, runtime));
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
