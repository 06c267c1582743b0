import { type Locality, hueOf, localityLabel, parseModelId } from '@/lib/format';

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

/** A stance, coloured the same wherever it appears so agreement and conflict are visible at a glance. */
export function PositionChip({ position, strong = false }: { position: string; strong?: boolean }) {
  const style = { '--hue': hueOf(position) } as React.CSSProperties;
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
