import type { GraphQLRequestError } from '@/lib/graphql/client';

/** A spinner with words, for content that is on its way. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Nothing here yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="state state--empty">
      <p className="state__title">{title}</p>
      {children ? <div className="state__body">{children}</div> : null}
    </div>
  );
}

const hints: Record<string, string> = {
  NETWORK: 'Is the reVo server running? Start it with `npm run -s revo -- serve`.',
  UNAUTHENTICATED: 'This server wants an API token: set it with the key button at the top.',
  HTTP: 'The server answered with an error.',
};

/** What went wrong, what to try, and a retry button when there is something to retry. */
export function ErrorState({
  error,
  title = 'Something went wrong',
  onRetry,
  retryLabel = 'Try again',
}: {
  error: GraphQLRequestError | Error;
  title?: string;
  onRetry?: () => void;
  /** @default 'Try again' */
  retryLabel?: string;
}) {
  const code = 'code' in error ? error.code : undefined;
  const hint = code ? hints[code] : undefined;
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">{title}</p>
      <p className="state__body">{error.message}</p>
      {hint ? <p className="state__hint">{hint}</p> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {retryLabel}
        </button>
      ) : null}
    </div>
  );
}
