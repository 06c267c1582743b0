import { PositionChip } from '@/components/ui/badges';
import type { VoteTally as Tally } from '@/lib/graphql/schema-types';
import { useAgents } from './agents-context';

/** The vote: each position's weight (confidence times track record) as a bar, and who backed it. */
export function VoteTally({ tally, winner }: { tally: Tally[]; winner: string | null }) {
  const { nameOf } = useAgents();
  const top = Math.max(...tally.map((t) => t.weight), 0.0001);
  return (
    <div className="tally" data-testid="vote-tally">
      <h4 className="tally__title">Vote</h4>
      <ul className="tally__list">
        {tally.map((t) => (
          <li key={t.position} className="tally__row" data-winner={t.position === winner || undefined}>
            <PositionChip position={t.position} strong={t.position === winner} />
            <span className="tally__bar" aria-hidden="true">
              <span className="tally__fill" style={{ width: `${(t.weight / top) * 100}%` }} />
            </span>
            <span className="tally__weight">{t.weight.toFixed(2)}</span>
            <span className="tally__voters">{t.voters.map(nameOf).join(', ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
