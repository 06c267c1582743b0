/**
 * reVo against LangGraph.js, in one process and one run: orchestration overhead of a 9-agent
 * fan-out, throughput at 1,000 concurrent workflows, and DAG wall time against its critical path.
 * Then reVo's API on loopback, where LangGraph.js has no counterpart: event-to-subscriber latency
 * over graphql-ws, and runWorkflow mutations per second against the core started in-process.
 * Prints a table, what each suite measures, and one JSON line with every result.
 * Usage: `npm run bench -- [--quick] [suite ...]`.
 */
import { cpus } from 'node:os';
import { renderTable } from './lib/table';
import { type Row, type Suite, type SuiteResult, meets } from './lib/suite';
import { collectGarbage, nowMs } from './lib/timing';
import { analyticsQuery } from './suites/analytics-query';
import { analyticsSink } from './suites/analytics-sink';
import { dagLatency } from './suites/dag-latency';
import { fanoutOverhead } from './suites/fanout-overhead';
import { mutationThroughput } from './suites/mutation-throughput';
import { scaleOut } from './suites/scale-out';
import { subscriberLatency } from './suites/subscriber-latency';
import { takeover } from './suites/takeover';
import { throughput } from './suites/throughput';

const suites: Suite[] = [
  fanoutOverhead,
  throughput,
  dagLatency,
  subscriberLatency,
  mutationThroughput,
  analyticsQuery,
  analyticsSink,
  scaleOut,
  takeover,
];

function parseArgs(argv: readonly string[]): { quick: boolean; chosen: Suite[] } {
  const quick = argv.includes('--quick');
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !suites.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  }
  return { quick, chosen: names.length > 0 ? suites.filter((s) => names.includes(s.name)) : suites };
}

const verdict = (row: Row) => {
  const met = meets(row);
  return met === undefined ? '' : met ? 'yes' : 'NO';
};

async function main() {
  const { quick, chosen } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const tracing = ['LANGSMITH_TRACING', 'LANGCHAIN_TRACING_V2'].filter((key) => process.env[key] === 'true');
  if (tracing.length > 0) log(`warning: ${tracing.join(', ')} is set; LangGraph will trace and run slower`);
  const started = nowMs();
  const results: Record<string, SuiteResult & { seconds: number }> = {};
  for (const suite of chosen) {
    collectGarbage();
    const t = nowMs();
    log(`running ${suite.name}${quick ? ' (quick)' : ''}`);
    const result = await suite.run({ quick, log });
    results[suite.name] = { ...result, seconds: (nowMs() - t) / 1000 };
  }
  const rows = Object.entries(results).flatMap(([name, result]) =>
    result.rows.map((row) => [
      name,
      row.metric,
      row.revo ?? '',
      row.langgraph ?? '',
      row.ratio ?? '',
      row.target ? `${row.target.op} ${row.target.value}` : '',
      verdict(row),
    ]),
  );
  console.log(renderTable(['suite', 'metric', 'reVo', 'LangGraph', 'ratio', 'target', 'met'], rows, 'llrrrll'));
  console.log('');
  if (quick) {
    console.log('--quick: a smoke run (fewer iterations, 250 concurrent); judge the targets on a full run.');
  }
  for (const suite of chosen) console.log(`${suite.name}: ${suite.measures}`);
  console.log('');
  const targets = Object.entries(results).flatMap(([name, result]) =>
    result.rows
      .filter((row) => row.target)
      .map((row) => ({ suite: name, metric: row.metric, ratio: row.ratio, target: row.target, met: meets(row) })),
  );
  console.log(
    JSON.stringify({
      bench: 'revo-vs-langgraph',
      quick,
      node: process.version,
      cpus: cpus().length,
      seconds: (nowMs() - started) / 1000,
      targets,
      suites: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { seconds: r.seconds, ...r.data }])),
    }),
  );
}

await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
