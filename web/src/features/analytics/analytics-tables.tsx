import { formatCost, formatDuration, formatPercent } from '@/lib/format';
import styles from './analytics.module.css';
import type { AgentPerformance, ConflictOutcome, CostByAgentModel, WorkflowShapeSuccess } from './operations';

/** Every agent's numbers over the window. */
export function AgentTable({
  agents,
  nameOf,
}: {
  agents: readonly AgentPerformance[];
  nameOf: (id: string) => string;
}) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table} data-testid="agent-table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Runs</th>
            <th scope="col">Steps</th>
            <th scope="col">Success</th>
            <th scope="col">p50 / p95</th>
            <th scope="col">Cost / task</th>
            <th scope="col">Cost</th>
            <th scope="col">Satisfaction</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.agent} data-agent={a.agent}>
              <th scope="row">{nameOf(a.agent)}</th>
              <td>{a.runs}</td>
              <td>{a.steps}</td>
              <td>{formatPercent(a.successRate)}</td>
              <td>
                {a.p50LatencyMs === null ? '–' : formatDuration(a.p50LatencyMs)} /{' '}
                {a.p95LatencyMs === null ? '–' : formatDuration(a.p95LatencyMs)}
              </td>
              <td>{formatCost(a.costPerTask)}</td>
              <td>{formatCost(a.costUsd)}</td>
              <td>{a.satisfaction === null ? '–' : `${formatPercent(a.satisfaction)} (${a.ratings})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Conflicts by how they ended. */
export function ConflictTable({ conflicts }: { conflicts: readonly ConflictOutcome[] }) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table} data-testid="conflict-table">
        <thead>
          <tr>
            <th scope="col">Resolution</th>
            <th scope="col">Conflicts</th>
            <th scope="col">Share</th>
            <th scope="col">Avg rounds</th>
            <th scope="col">Escalated</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((c) => (
            <tr key={c.resolution}>
              <th scope="row">{c.resolution}</th>
              <td>{c.conflicts}</td>
              <td>{formatPercent(c.share)}</td>
              <td>{c.avgRounds.toFixed(1)}</td>
              <td>{c.escalated}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What each agent spent on each model. */
export function CostTable({ lines, nameOf }: { lines: readonly CostByAgentModel[]; nameOf: (id: string) => string }) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Model</th>
            <th scope="col">Calls</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((c) => (
            <tr key={`${c.agent}/${c.model}`}>
              <th scope="row">{nameOf(c.agent)}</th>
              <td>
                {c.model} <span className="muted">{c.local ? 'local' : 'cloud'}</span>
              </td>
              <td>{c.calls}</td>
              <td>{c.tokens.toLocaleString('en')}</td>
              <td>{formatCost(c.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How often workflows of each shape succeeded. */
export function ShapeTable({ shapes }: { shapes: readonly WorkflowShapeSuccess[] }) {
  return (
    <div className={styles.tableScroll}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col">Shape</th>
            <th scope="col">Steps</th>
            <th scope="col">Runs</th>
            <th scope="col">Success</th>
            <th scope="col">Avg time</th>
          </tr>
        </thead>
        <tbody>
          {shapes.map((s) => (
            <tr key={`${s.mode}/${s.shape}/${s.stepsBucket}/${s.depth}/${s.width}`}>
              <th scope="row">{s.mode}</th>
              <td>
                {s.shape}{' '}
                <span className="muted">
                  (depth {s.depth}, width {s.width})
                </span>
              </td>
              <td>{s.stepsBucket}</td>
              <td>{s.runs}</td>
              <td>{s.successRate === null ? '–' : formatPercent(s.successRate)}</td>
              <td>{formatDuration(s.avgDurationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
