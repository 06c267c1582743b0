'use client';

import { AgentSelectionQuery } from '@/lib/graphql/operations';
import { useQuery } from '@/lib/graphql/use-query';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useAgents } from './agents-context';

const MIN_LENGTH = 4;

/** With automatic selection: who reVo would pick for what is typed so far, and why (debounced). */
export function SelectionPreview({ text }: { text: string }) {
  const { nameOf } = useAgents();
  const task = useDebouncedValue(text.trim(), 350);
  const skip = task.length < MIN_LENGTH;
  const { data, error } = useQuery(AgentSelectionQuery, { task }, { skip, refetchOnReconnect: false });
  if (skip || text.trim().length < MIN_LENGTH) return null;
  if (error) return null;
  const selection = data?.agentSelection;
  if (!selection) return null;
  const ranked = new Map(selection.ranking.map((r) => [r.agent, r]));
  return (
    <div className="selection-preview" data-testid="selection-preview" aria-live="polite">
      <span className="selection-preview__label">reVo would pick</span>
      <ul className="selection-preview__list">
        {selection.chosen.map((agent) => (
          <li key={agent} className="selection-preview__item" title={ranked.get(agent)?.why}>
            <strong>{nameOf(agent)}</strong>
            {ranked.get(agent)?.matched.length ? (
              <span className="muted"> for “{ranked.get(agent)?.matched.slice(0, 3).join('”, “')}”</span>
            ) : null}
            <span className="selection-preview__why">{ranked.get(agent)?.why}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
