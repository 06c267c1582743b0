import { type EventBus, type PersistedActor, type RunStore, type WorkflowRecord, turnRunId } from '@revo/actors';
import { type StepTimes, recordStepTime } from './records';

/** The runs whose events a persisted root's snapshot covers: the workflow, or a conversation's turn in progress. */
export function runIdsOf(saved: PersistedActor): string[] {
  if (saved.kind === 'workflow') return [saved.id];
  const context = (saved.snapshot as { context?: { turn?: number } }).context;
  const turn = context?.turn ?? 0;
  const value = (saved.snapshot as { value?: unknown }).value;
  return turn > 0 && value === 'responding' ? [turnRunId(saved.id, turn)] : [];
}

/** What a restored run carries on from: its last seq, its steps' times, and its record's meta. */
export interface RestoredRun {
  runId: string;
  seq: number;
  times: StepTimes;
  meta: { createdAt: number; templateId?: string; retryOf?: string };
}

/**
 * Gets a persisted root's runs ready to go on: each run's log is cut back to the snapshot's seq
 * (events of transitions the snapshot does not hold are told again by the restored actor), and
 * what the host keeps beside the snapshot is read back from the log and the run's record.
 */
export async function restoreRuns(
  saved: PersistedActor,
  ports: { bus: EventBus; store: RunStore; records: string },
): Promise<RestoredRun[]> {
  const runs: RestoredRun[] = [];
  for (const runId of runIdsOf(saved)) {
    await ports.bus.truncate(runId, saved.seq);
    const history = await ports.bus.history(runId);
    const times: StepTimes = new Map();
    for (const event of history) recordStepTime(times, event);
    const record = await ports.store.getRecord<WorkflowRecord>(ports.records, runId);
    runs.push({
      runId,
      seq: history.at(-1)?.seq ?? 0,
      times,
      meta: {
        createdAt: record?.createdAt ?? saved.savedAt,
        ...(record?.templateId ? { templateId: record.templateId } : {}),
        ...(record?.retryOf ? { retryOf: record.retryOf } : {}),
      },
    });
  }
  return runs;
}
