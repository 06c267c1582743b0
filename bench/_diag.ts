import { startApiServer } from './lib/api-server';
import { fakeModel } from './lib/workload';
const server = await startApiServer(fakeModel);
const errors = new Map<string, number>();
server.actorHost.publisher.listen((e) => {
  if (e.type === 'workflow.failed' || e.type === 'step.failed' || e.type === 'agent.failed' || e.type === 'agent.attempt.failed') {
    const k = `${e.type}: ${'error' in e ? e.error : ''}`;
    errors.set(k, (errors.get(k) ?? 0) + 1);
  }
});
const plan = { steps: [
  { id: 'a', agent: 'architect', instruction: 'Review the design.' },
  { id: 'b', agent: 'code-generator', instruction: 'Review the code.' },
  { id: 'c', agent: 'documenter', instruction: 'Sum up both reviews.', dependsOn: ['a', 'b'] },
] };
const RUN = 'mutation Run($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId status } }';
await Promise.all(Array.from({ length: 500 }, () => server.gql(RUN, { task: 'Review the change.', plan })));
await new Promise((r) => setTimeout(r, 2000));
console.log(errors);
const stacks = new Set<string>();
for (const a of server.actorHost.inspector.actors({ includeFinished: true })) {
  for (const r of a.snapshots) {
    const e = (r.snapshot as { error?: Error }).error;
    if (r.snapshot.status === 'error' && e) stacks.add(`${a.kind} via ${r.eventType}: ${e.stack}`);
  }
}
console.log([...stacks].slice(0, 3).join('\n----\n'));
await server.close();
