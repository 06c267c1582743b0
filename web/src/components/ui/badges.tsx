import { createContext, use, useMemo } from 'react';
import { type Locality, hueOf, huesFor, localityLabel, parseModelId } from '@/lib/format';

/** Offline, local or cloud: where an answer came from. */
export function LocalityBadge({ locality }: { locality: Locality }) {
  return <span className={`badge badge--${locality}`}>{localityLabel[locality]}</span>;
}

/** A model id, its provider in lighter type. */
export function ModelName({ id }: { id: string }) {
  const { provider, name } = parseModelId(id);
  return (
    <span className="model-name" title={id}>
      {provider ? <span className="model-name__provider">{provider}:</span> : null}
      {name}
    </span>
  );
}

const PositionHuesContext = createContext<Map<string, number> | null>(null);

/** Gives the positions below it distinct colours (a turn's stances, in the order they were taken). */
export function PositionHues({ positions, children }: { positions: readonly string[]; children: React.ReactNode }) {
  const key = positions.join('\u0000');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the positions.
  const hues = useMemo(() => huesFor(positions), [key]);
  return <PositionHuesContext value={hues}>{children}</PositionHuesContext>;
}

/** A stance, coloured the same wherever it appears so agreement and conflict are visible at a glance. */
export function PositionChip({ position, strong = false }: { position: string; strong?: boolean }) {
  const hues = use(PositionHuesContext);
  const style = { '--hue': hues?.get(position) ?? hueOf(position) } as React.CSSProperties;
  return (
    <span className={strong ? 'position position--strong' : 'position'} style={style}>
      {position}
    </span>
  );
}

/** A 0..1 confidence as a small bar with its percentage. */
export function ConfidenceMeter({ value }: { value: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <span className="confidence" title={`confidence ${percent}%`}>
      <span className="confidence__track" aria-hidden="true">
        <span className="confidence__fill" style={{ width: `${percent}%` }} />
      </span>
      <span className="confidence__value">{percent}%</span>
    </span>
  );
}
