'use client';

import { useState } from 'react';
import styles from './inspector.module.css';

/**
 * A JSON value as a tree whose objects and arrays open and close (buttons, so the keyboard works);
 * the first `open` levels start open.
 */
export function JsonTree({ value, open = 1 }: { value: unknown; open?: number }) {
  return (
    <div className={styles.json}>
      <JsonNode value={value} depth={0} open={open} name={null} />
    </div>
  );
}

function JsonNode({ value, depth, open, name }: { value: unknown; depth: number; open: number; name: string | null }) {
  const [expanded, setExpanded] = useState(depth < open);
  const key = name !== null ? <span className={styles.jsonKey}>{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className={styles.jsonRow}>
        {key}
        <Primitive value={value} />
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const [openMark, closeMark] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className={styles.jsonRow}>
        {key}
        <span className={styles.jsonPunct}>
          {openMark}
          {closeMark}
        </span>
      </div>
    );
  }
  return (
    <div className={styles.jsonRow}>
      <button
        type="button"
        className={styles.jsonToggle}
        aria-expanded={expanded}
        onClick={() => setExpanded(!expanded)}
      >
        <span className={styles.jsonChevron} aria-hidden="true" />
        {key}
        <span className={styles.jsonPunct}>
          {openMark}
          {expanded ? '' : ` ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'} ${closeMark}`}
        </span>
      </button>
      {expanded ? (
        <div className={styles.jsonChildren}>
          {entries.map(([k, v]) => (
            <JsonNode key={k} value={v} depth={depth + 1} open={open} name={k} />
          ))}
          <span className={styles.jsonPunct}>{closeMark}</span>
        </div>
      ) : null}
    </div>
  );
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className={styles.jsonString}>"{value}"</span>;
  if (typeof value === 'number') return <span className={styles.jsonNumber}>{value}</span>;
  if (typeof value === 'boolean') return <span className={styles.jsonBoolean}>{String(value)}</span>;
  return <span className={styles.jsonNull}>null</span>;
}
