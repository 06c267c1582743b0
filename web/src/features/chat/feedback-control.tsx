'use client';

import { useId, useState } from 'react';
import { GiveFeedbackMutation } from '@/lib/graphql/operations';
import type { Rating } from '@/lib/graphql/schema-types';
import { useMutation } from '@/lib/graphql/use-query';

/** Thumbs up or down on an answer, with an optional comment, sent as `giveFeedback` on its run. */
export function FeedbackControl({ runId }: { runId: string }) {
  const feedback = useMutation(GiveFeedbackMutation);
  const [rating, setRating] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [phase, setPhase] = useState<'idle' | 'writing' | 'sent'>('idle');
  const commentId = useId();

  const choose = (next: Rating) => {
    setRating(next);
    setPhase('writing');
    feedback.reset();
  };
  const cancel = () => {
    setPhase(rating && phase === 'sent' ? 'sent' : 'idle');
    if (phase !== 'sent') setRating(null);
  };

  return (
    <div className="feedback" data-testid="feedback">
      <fieldset className="feedback__buttons">
        <legend className="visually-hidden">Rate this answer</legend>
        <button
          type="button"
          className="icon-button"
          aria-label="Good answer"
          aria-pressed={rating === 'UP'}
          onClick={() => choose('UP')}
        >
          <ThumbIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Bad answer"
          aria-pressed={rating === 'DOWN'}
          onClick={() => choose('DOWN')}
        >
          <ThumbIcon down />
        </button>
      </fieldset>
      {phase === 'writing' && rating ? (
        <form
          className="feedback__form"
          onSubmit={(event) => {
            event.preventDefault();
            feedback.run({ runId, rating, comment: comment.trim() || null }).then(
              () => setPhase('sent'),
              () => {},
            );
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') cancel();
          }}
        >
          <label className="visually-hidden" htmlFor={commentId}>
            Comment (optional)
          </label>
          <input
            id={commentId}
            className="input input--small"
            // biome-ignore lint/a11y/noAutofocus: the form opens because the person asked to rate.
            autoFocus
            placeholder={rating === 'UP' ? 'What was good? (optional)' : 'What was wrong? (optional)'}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <button type="submit" className="button button--small button--primary" disabled={feedback.pending}>
            {feedback.pending ? 'Sending…' : 'Send'}
          </button>
          <button type="button" className="button button--small button--quiet" onClick={cancel}>
            Cancel
          </button>
          {feedback.error ? (
            <span className="feedback__error" role="alert">
              {feedback.error.message}
            </span>
          ) : null}
        </form>
      ) : null}
      {phase === 'sent' ? (
        <span className="feedback__thanks" role="status">
          Thanks, your feedback is recorded.
        </span>
      ) : null}
    </div>
  );
}

function ThumbIcon({ down = false }: { down?: boolean }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      style={down ? { transform: 'rotate(180deg)' } : undefined}
    >
      <path d="M7 10v11M15 5.9 14 10h5.8a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 18.4 21H7V10l4.3-7.4A2 2 0 0 1 15 5.9Z" />
      <path d="M3 10h4v11H3z" />
    </svg>
  );
}
