import { Disclosure } from '@/components/ui/disclosure';
import { useAgents } from '@/features/chat/agents-context';
import { formatCost, formatDuration, formatPercent } from '@/lib/format';
import { AgentTable, ConflictTable, CostTable, ShapeTable } from './analytics-tables';
import styles from './analytics.module.css';
import { BarChart } from './bar-chart';
import { fillDays } from './chart-scales';
import { DayChart } from './day-chart';
import type { AnalyticsData, DailyTrend } from './operations';
import { summarize } from './summary';

const emptyDay = (day: string): DailyTrend => ({
  day,
  runs: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  successRate: null,
  costUsd: 0,
  localShare: null,
  conflicts: 0,
  escalations: 0,
  calls: 0,
  steps: 0,
});

/** A window's numbers: headline figures, agents, days, conflicts, money. */
export function Report({ data }: { data: AnalyticsData }) {
  const { nameOf } = useAgents();
  const summary = summarize(data);
  const trends = fillDays(data.trends, emptyDay);
  const days = trends.map((t) => t.day);
  const agents = [...data.agentPerformance].sort((a, b) => b.runs - a.runs || a.agent.localeCompare(b.agent));
  const rows = (pick: (a: (typeof agents)[number]) => number | null) =>
    agents.map((a) => ({ key: a.agent, label: nameOf(a.agent), value: pick(a) }));
  const conflictTotal = data.conflicts.reduce((s, c) => s + c.conflicts, 0);

  return (
    <div className={styles.report}>
      <dl className={styles.kpis}>
        <Kpi id="runs" label="Runs" value={String(summary.runs)} note={`${summary.completed} completed`} />
        <Kpi
          id="success"
          label="Success"
          value={summary.successRate === null ? '–' : formatPercent(summary.successRate)}
          note="of ended runs"
        />
        <Kpi
          id="cost"
          label="Cost"
          value={formatCost(summary.costUsd)}
          note={`${data.localShare?.calls ?? 0} model calls`}
        />
        <Kpi
          id="local"
          label="Local share"
          value={summary.localShare === null ? '–' : formatPercent(summary.localShare)}
          note="of calls served locally"
        />
        <Kpi
          id="saved"
          label="Saved"
          value={formatCost(summary.savedUsd)}
          note={`vs ${formatCost(summary.cloudEquivalentUsd)} in the cloud`}
          strong
        />
        <Kpi id="conflicts" label="Conflicts" value={String(conflictTotal)} note={`${summary.escalations} escalated`} />
      </dl>

      <section className={styles.section} aria-labelledby="agents-title">
        <h2 id="agents-title" className={styles.sectionTitle}>
          Agent performance
        </h2>
        {agents.length === 0 ? (
          <p className={styles.hint}>No agent answered in this window.</p>
        ) : (
          <div className={styles.grid3} data-testid="agent-charts">
            <BarChart title="Success rate" rows={rows((a) => a.successRate)} unit="percent" max={1} tone="ok" />
            <BarChart
              title="Latency (p50)"
              rows={rows((a) => a.p50LatencyMs)}
              unit="ms"
              format={(v) => formatDuration(v)}
              tone="info"
            />
            <BarChart
              title="Cost per task"
              rows={rows((a) => a.costPerTask)}
              unit="usd"
              format={(v) => formatCost(v)}
              tone="accent"
            />
          </div>
        )}
        {agents.length > 0 ? (
          <Disclosure summary="All agent numbers" className={styles.details}>
            <AgentTable agents={agents} nameOf={nameOf} />
          </Disclosure>
        ) : null}
      </section>

      <section className={styles.section} aria-labelledby="trends-title">
        <h2 id="trends-title" className={styles.sectionTitle}>
          Over time
        </h2>
        <div className={styles.grid2}>
          <DayChart
            title="Runs per day"
            days={days}
            unit="count"
            series={[
              { key: 'completed', label: 'completed', tone: 'ok', values: trends.map((t) => t.completed) },
              { key: 'failed', label: 'failed', tone: 'danger', values: trends.map((t) => t.failed) },
              { key: 'cancelled', label: 'cancelled', tone: 'warn', values: trends.map((t) => t.cancelled) },
              {
                key: 'other',
                label: 'running or waiting',
                tone: 'info',
                values: trends.map((t) => Math.max(0, t.runs - t.completed - t.failed - t.cancelled)),
              },
            ]}
          />
          <DayChart
            title="Cost per day"
            days={days}
            unit="usd"
            series={[{ key: 'cost', label: 'cost', tone: 'accent', values: trends.map((t) => t.costUsd) }]}
            emptyText="$0 every day: local models cost nothing"
          />
          <DayChart
            title="Local share per day"
            days={days}
            unit="percent"
            kind="line"
            max={1}
            series={[{ key: 'local', label: 'local share', tone: 'ok', values: trends.map((t) => t.localShare ?? 0) }]}
            emptyText="No model calls on these days"
          />
          <DayChart
            title="Conflicts per day"
            days={days}
            unit="count"
            series={[
              {
                key: 'settled',
                label: 'settled by the agents',
                tone: 'info',
                values: trends.map((t) => Math.max(0, t.conflicts - t.escalations)),
              },
              {
                key: 'escalated',
                label: 'escalated to a person',
                tone: 'warn',
                values: trends.map((t) => t.escalations),
              },
            ]}
            emptyText="No disagreements on these days"
          />
        </div>
      </section>

      <section className={styles.section} aria-labelledby="conflicts-title">
        <h2 id="conflicts-title" className={styles.sectionTitle}>
          How conflicts ended
        </h2>
        {data.conflicts.length === 0 ? (
          <p className={styles.hint}>No agents disagreed in this window.</p>
        ) : (
          <div className={styles.grid2}>
            <BarChart
              title="Conflicts by resolution"
              rows={data.conflicts.map((c) => ({ key: c.resolution, label: c.resolution, value: c.conflicts }))}
              unit="count"
              tone="warn"
            />
            <ConflictTable conflicts={data.conflicts} />
          </div>
        )}
      </section>

      <section className={styles.section} aria-labelledby="money-title">
        <h2 id="money-title" className={styles.sectionTitle}>
          Cost by agent and model
        </h2>
        <CostTable lines={data.costBreakdown} nameOf={nameOf} />
      </section>

      {data.workflowSuccessByShape.length > 0 ? (
        <section className={styles.section} aria-labelledby="shapes-title">
          <h2 id="shapes-title" className={styles.sectionTitle}>
            Success by workflow shape
          </h2>
          <ShapeTable shapes={data.workflowSuccessByShape} />
        </section>
      ) : null}
    </div>
  );
}

function Kpi({
  id,
  label,
  value,
  note,
  strong = false,
}: {
  id: string;
  label: string;
  value: string;
  note: string;
  strong?: boolean;
}) {
  return (
    <div className={strong ? `${styles.kpi} ${styles.kpiStrong}` : styles.kpi} data-testid={`kpi-${id}`}>
      <dt>{label}</dt>
      <dd>
        <span className={styles.kpiValue} data-testid={`kpi-${id}-value`}>
          {value}
        </span>
        <span className={styles.kpiNote}>{note}</span>
      </dd>
    </div>
  );
}
