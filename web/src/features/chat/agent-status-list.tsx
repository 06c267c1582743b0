import { ModelName } from '@/components/ui/badges';
import { useAgents } from './agents-context';
import { describeState } from './chat-modes';
import type { AgentActivity } from './turn-state';

/** Each agent of a running turn: a status dot, what it is doing, and on which model. */
export function AgentStatusList({ agents, state }: { agents: AgentActivity[]; state: string }) {
  const { nameOf } = useAgents();
  return (
    <div className="agent-status" data-testid="agent-status">
      <p className="agent-status__state">
        <span className="pulse" aria-hidden="true" />
        {describeState(state)}
      </p>
      {agents.length > 0 ? (
        <ul className="agent-status__list" aria-label="Agents">
          {agents.map((a) => (
            <li key={a.agent} className="agent-status__item" data-phase={a.phase} data-agent={a.agent}>
              <span className={`dot dot--${a.phase}`} aria-hidden="true" />
              <span className="agent-status__name">{nameOf(a.agent)}</span>
              <span className="agent-status__activity">{a.activity}</span>
              {a.model ? <ModelName id={a.model} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
