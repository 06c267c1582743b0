import { ConfidenceMeter, PositionChip } from '@/components/ui/badges';
import type { Resolution } from '@/lib/graphql/schema-types';
import { useAgents } from './agents-context';
import type { TurnConflict } from './turn-state';
import { VoteTally } from './vote-tally';

export interface DecisionProps {
  onDecide?: (conflictId: string, position: string) => void;
  /** True while a decision is on its way to the server. */
  deciding?: boolean;
  /** Why the last decision failed. */
  error?: string | null;
}

const resolved: Record<Resolution, string> = {
  CONSENSUS: 'The agents came to agree on',
  VOTE: 'The vote chose',
  HUMAN: 'You decided on',
};

/**
 * A disagreement and how it goes: the opening positions, each discussion round as it completes
 * (stances with confidence and reasons), the vote, and the outcome, or the buttons for a person
 * to decide when it is escalated.
 */
export function ConflictView({
  conflict,
  onDecide,
  deciding = false,
  error,
}: { conflict: TurnConflict } & DecisionProps) {
  const { nameOf } = useAgents();
  const opening = conflict.discussion.rounds.find((r) => r.round === 0)?.stances ?? conflict.positions;
  const rounds = conflict.discussion.rounds.filter((r) => r.round > 0).sort((a, b) => a.round - b.round);
  return (
    <section
      className="conflict"
      data-testid="conflict"
      data-status={conflict.status}
      aria-label={`Disagreement: ${conflict.question}`}
    >
      <header className="conflict__header">
        <span className="conflict__icon" aria-hidden="true">
          ⇄
        </span>
        <div>
          <h3 className="conflict__title">The agents disagree</h3>
          <p className="conflict__question">{conflict.question}</p>
        </div>
        <span className={`badge badge--status badge--${conflict.status.toLowerCase()}`}>
          {conflict.status.toLowerCase()}
        </span>
      </header>

      <ol className="rounds">
        <li className="round">
          <h4 className="round__title">Opening positions</h4>
          <ul className="stances">
            {opening.map((s) => (
              <li key={s.agent} className="stance">
                <span className="stance__agent">{nameOf(s.agent)}</span>
                <PositionChip position={s.position} />
                {'confidence' in s ? <ConfidenceMeter value={s.confidence} /> : null}
              </li>
            ))}
          </ul>
        </li>
        {rounds.map((round) => (
          <li key={round.round} className="round" data-testid="discussion-round">
            <h4 className="round__title">Round {round.round}</h4>
            <ul className="stances">
              {round.stances.map((s) => (
                <li key={s.agent} className="stance">
                  <span className="stance__agent">{nameOf(s.agent)}</span>
                  <PositionChip position={s.position} />
                  <ConfidenceMeter value={s.confidence} />
                  <span className="stance__why">{s.rationale}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
        {conflict.currentRound !== null ? (
          <li className="round round--live" aria-live="polite">
            <span className="spinner spinner--small" aria-hidden="true" /> Round {conflict.currentRound}: the agents are
            reading each other’s arguments…
          </li>
        ) : null}
      </ol>

      {conflict.tally.length > 0 ? <VoteTally tally={conflict.tally} winner={conflict.winner} /> : null}

      {conflict.status === 'RESOLVED' && conflict.winner ? (
        <p className="conflict__outcome" data-testid="conflict-outcome">
          {conflict.resolution ? resolved[conflict.resolution] : 'Settled on'}{' '}
          <PositionChip position={conflict.winner} strong />
          {conflict.resolution === 'HUMAN' ? '; the run carries on with it.' : '.'}
        </p>
      ) : null}

      {conflict.status === 'ESCALATED' ? (
        <fieldset className="decision" data-testid="decision">
          <legend className="decision__prompt">
            <strong>Your call.</strong> The vote was too close for reVo to choose. Which position should it go with?
          </legend>
          <div className="decision__options">
            {(conflict.options.length > 0 ? conflict.options : conflict.tally.map((t) => t.position)).map((option) => (
              <button
                key={option}
                type="button"
                className="button decision__option"
                data-position={option}
                disabled={deciding || !onDecide}
                onClick={() => onDecide?.(conflict.id, option)}
              >
                Go with <PositionChip position={option} />
              </button>
            ))}
          </div>
          {deciding ? (
            <p className="decision__status" role="status">
              Sending your decision…
            </p>
          ) : null}
          {error ? (
            <p className="decision__error" role="alert">
              {error}
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </section>
  );
}
