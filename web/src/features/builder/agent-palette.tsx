'use client';

import type { AgentSummary } from '@/lib/graphql/operations';
import { AGENT_MIME } from './builder-canvas';
import styles from './builder.module.css';

/** The agents to build with: drag one onto the canvas, or press its Add button. */
export function AgentPalette({
  agents,
  onAdd,
  disabled,
}: {
  agents: readonly AgentSummary[];
  onAdd: (agent: string) => void;
  disabled: boolean;
}) {
  return (
    <section className={styles.palette} aria-labelledby="palette-title">
      <h2 id="palette-title" className={styles.sectionTitle}>
        Agents
      </h2>
      <p className={styles.hint}>Drag onto the canvas, or Add.</p>
      <ul className={styles.paletteList}>
        {agents.map((agent) => (
          <li
            key={agent.id}
            className={styles.paletteItem}
            draggable={!disabled}
            data-testid="palette-agent"
            data-agent={agent.id}
            title={agent.description}
            onDragStart={(e) => {
              e.dataTransfer.setData(AGENT_MIME, agent.id);
              e.dataTransfer.setData('text/plain', agent.id);
              e.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <span className={styles.grip} aria-hidden="true">
              ⠿
            </span>
            <span className={styles.paletteName}>
              {agent.name}
              <span className={styles.paletteTier}>{agent.tier}</span>
            </span>
            <button
              type="button"
              className="button button--small"
              aria-label={`Add a ${agent.name} step`}
              disabled={disabled}
              onClick={() => onAdd(agent.id)}
            >
              Add
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
