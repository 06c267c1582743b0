import type { RunReport } from '../runtime/run-report';

const money = (n: number) => `$${n.toFixed(n < 0.01 && n > 0 ? 6 : 4)}`;

/** The end of a terminal run: status, answer, conflicts, a cost table and the local share. */
export function printReport(report: RunReport, out: (line: string) => void): void {
  out('');
  out(`${report.status.toUpperCase()} ${report.runId}${report.error ? `: ${report.error}` : ''}`);
  if (report.answer) out(`\n${report.answer}\n`);
  for (const c of report.conflicts) {
    out(
      `conflict ${c.id}: ${c.status}${c.winner ? ` → ${c.winner}` : ''}${c.resolution ? ` (${c.resolution}, ${c.rounds} round(s))` : ''}`,
    );
  }
  const rows = report.costBreakdown.map((l) => [
    l.agent,
    l.model,
    l.local ? 'yes' : 'no',
    String(l.calls),
    String(l.tokensIn),
    String(l.tokensOut),
    money(l.costUsd),
    `${Math.round(l.latencyMs)} ms`,
  ]);
  const head = ['agent', 'model', 'local', 'calls', 'tokens in', 'tokens out', 'cost', 'latency'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  out(line(head));
  for (const r of rows) out(line(r));
  const u = report.usage;
  out(
    `total: ${u.calls} calls, ${u.tokensIn + u.tokensOut} tokens, ${money(u.costUsd)}; local share ${Math.round(report.localShare * 100)}%${report.offline ? ' (offline model answered)' : ''}`,
  );
}
