import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatRelativeTime } from '@/lib/format';
import type { ConversationStatus } from '@/lib/graphql/schema-types';
import type { ConversationPages } from './use-conversation-pages';

const statusLabel: Record<ConversationStatus, string | null> = {
  IDLE: null,
  RESPONDING: 'answering',
  AWAITING_HUMAN: 'needs you',
};

/** The conversations, newest first, with a button for a new one. */
export function ConversationList({
  pages,
  selectedId,
  liveStatus,
  onSelect,
  onNew,
}: {
  pages: ConversationPages;
  selectedId: string | null;
  /** The open conversation's status as its feed knows it (fresher than the list). */
  liveStatus: ConversationStatus | null;
  onSelect: (id: string) => void;
  onNew: () => void;
}) {
  return (
    <div className="sidebar" data-testid="conversation-list">
      <div className="sidebar__head">
        <h2 className="sidebar__title">Conversations</h2>
        <button
          type="button"
          className="button button--primary button--small"
          onClick={onNew}
          title="New conversation (Alt+N)"
        >
          + New
        </button>
      </div>
      {pages.loading && pages.items.length === 0 ? <LoadingState label="Loading conversations…" /> : null}
      {pages.error && pages.items.length === 0 ? (
        <ErrorState title="Could not load the conversations" error={pages.error} onRetry={pages.refetch} />
      ) : null}
      {!pages.loading && !pages.error && pages.items.length === 0 ? (
        <EmptyState title="No conversations yet">Write a message to start one.</EmptyState>
      ) : null}
      <ul className="conversation-list">
        {selectedId === null ? (
          <li>
            <span className="conversation conversation--draft" aria-current="true">
              <span className="conversation__title">New conversation</span>
              <span className="conversation__meta">draft</span>
            </span>
          </li>
        ) : null}
        {pages.items.map((c) => {
          const status = c.id === selectedId && liveStatus ? liveStatus : c.status;
          return (
            <li key={c.id}>
              <button
                type="button"
                className="conversation"
                aria-current={c.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(c.id)}
              >
                <span className="conversation__title">{c.title}</span>
                <span className="conversation__meta">
                  {statusLabel[status] ? (
                    <span className={`badge badge--${status.toLowerCase()}`}>{statusLabel[status]}</span>
                  ) : null}
                  {formatRelativeTime(c.updatedAt)}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {pages.hasMore ? (
        <button
          type="button"
          className="button button--quiet sidebar__more"
          onClick={pages.loadMore}
          disabled={pages.loadingMore}
        >
          {pages.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
