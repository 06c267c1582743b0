import { useId } from 'react';
import { Disclosure } from '@/components/ui/disclosure';
import type { ChatMode } from '@/lib/graphql/schema-types';
import { useAgents } from './agents-context';

/**
 * Automatic selection, or the agents to use: one in single mode (radios), any number up to nine in
 * multi-agent and workflow mode (checkboxes). A disclosure, so it takes no room until opened.
 */
export function AgentPicker({
  mode,
  agents,
  onChange,
  open,
  onOpenChange,
}: {
  mode: ChatMode;
  agents: string[];
  onChange: (agents: string[]) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { agents: all, nameOf, loading } = useAgents();
  const name = useId();
  const single = mode === 'SINGLE';
  const summary = agents.length === 0 ? 'Auto' : agents.map(nameOf).join(', ');
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...agents.filter((a) => a !== id), id].slice(-9) : agents.filter((a) => a !== id));
  return (
    <Disclosure
      className="agent-picker"
      testId="agent-picker"
      open={open}
      onOpenChange={onOpenChange}
      summary={
        <span className="agent-picker__summary">
          Agents: <strong>{summary}</strong>
        </span>
      }
    >
      <fieldset className="agent-picker__options">
        <legend className="visually-hidden">{single ? 'Agent' : 'Agents'}</legend>
        <label className="agent-picker__option agent-picker__option--auto">
          <input
            type={single ? 'radio' : 'checkbox'}
            name={name}
            checked={agents.length === 0}
            onChange={() => onChange([])}
          />
          <span>
            <strong>Auto</strong> <span className="muted">reVo picks the agents the task needs</span>
          </span>
        </label>
        {loading && all.length === 0 ? <p className="muted">Loading agents…</p> : null}
        {all.map((agent) => (
          <label key={agent.id} className="agent-picker__option" title={agent.description}>
            <input
              type={single ? 'radio' : 'checkbox'}
              name={name}
              value={agent.id}
              checked={agents.includes(agent.id)}
              onChange={(event) => (single ? onChange([agent.id]) : toggle(agent.id, event.target.checked))}
            />
            <span>
              {agent.name} <span className="muted">{agent.tier}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </Disclosure>
  );
}
