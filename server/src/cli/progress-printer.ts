import type { RunEvent } from '@revo/actors';

const short = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** One line per event worth a person's attention; token deltas and state churn are left out. */
export function progressLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'workflow.created':
      return `▶ ${event.runId} (${event.mode}): ${short(event.task)}`;
    case 'workflow.planned':
      return `  plan by ${event.plan.planner}: ${event.plan.steps.map((s) => `${s.id}${s.dependsOn.length ? ` ← ${s.dependsOn.join(',')}` : ''}`).join(' | ')}`;
    case 'workflow.predicted':
      return event.prediction.confidence > 0
        ? `  prediction: ${Math.round(event.prediction.successProbability * 100)}% success, ~${Math.round(event.prediction.durationMs)} ms, ~$${event.prediction.costUsd.toFixed(4)}`
        : undefined;
    case 'step.started':
      return `  ◦ ${event.stepId} started (${event.agent})`;
    case 'step.completed':
      return `  ✓ ${event.stepId} done: ${event.answer.position} (confidence ${event.answer.confidence.toFixed(2)}; ${event.answer.usage.model}${event.answer.usage.provider === 'offline' ? ' — offline model' : ''})`;
    case 'step.failed':
      return `  ✗ ${event.stepId} failed: ${short(event.error, 160)}`;
    case 'step.skipped':
      return `  – ${event.stepId} skipped: ${event.reason}`;
    case 'agent.attempt.failed':
      return `    ! ${event.stepId} attempt ${event.attempt} on ${short(event.error, 140)}${event.retry ? ' (retrying)' : ''}`;
    case 'agent.model.fallback':
      return `    ↓ ${event.stepId}: falling from ${event.from} to ${event.to}`;
    case 'workflow.revised':
      return `  ↻ plan revised: +${event.added.join(', +')}${event.removed.length ? ` −${event.removed.join(', −')}` : ''} (${short(event.reason, 100)})`;
    case 'workflow.budget.exceeded':
      return `  ⛔ ${event.budget} budget exceeded: ${event.used} of ${event.limit}`;
    case 'conflict.detected':
      return `  ⚔ conflict ${event.conflict.id}: ${event.conflict.positions.map((p) => `${p.agent}=${p.position}`).join(', ')}`;
    case 'discussion.round.started':
      return `  ↺ discussion ${event.conflictId}, round ${event.round}`;
    case 'discussion.round.completed':
      return `    ${event.round.stances.map((s) => `${s.agent}=${s.position} (${s.confidence.toFixed(2)})`).join(', ')}`;
    case 'discussion.voted':
      return `  ⚖ vote on ${event.conflictId}: ${event.tally.map((t) => `${t.position} ${t.weight.toFixed(2)}`).join(' | ')}`;
    case 'discussion.resolved':
      return `  ✔ ${event.conflictId} resolved by ${event.resolution}: ${event.winner}`;
    case 'discussion.escalated':
      return `  ⏸ ${event.conflictId} is too close to call: a person decides`;
    case 'conflict.decided':
      return `  ✔ ${event.conflictId} decided by ${event.by}: ${event.position}`;
    case 'feedback.given':
      return `  ${event.rating === 'up' ? '👍' : '👎'} feedback${event.stepId ? ` on ${event.stepId}` : ''}${event.comment ? `: ${short(event.comment)}` : ''}`;
    case 'message.added':
    case 'workflow.completed':
    case 'workflow.failed':
    case 'workflow.cancelled':
    case 'workflow.awaiting.human':
    case 'workflow.state.changed':
    case 'agent.attempt.started':
    case 'agent.token':
    case 'agent.completed':
    case 'agent.failed':
      return undefined;
  }
}
