'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OfflineBanner } from '@/components/shell/offline-badge';
import { ErrorState, LoadingState } from '@/components/ui/states';
import type { ChatMode } from '@/lib/graphql/schema-types';
import { useShortcuts } from '@/lib/use-shortcuts';
import { AgentsProvider } from './agents-context';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { MessageList } from './message-list';
import { useComposer } from './use-composer';
import { useConversationFeed } from './use-conversation-feed';
import { useConversationPages } from './use-conversation-pages';

/** The chat: conversations on the side, the open one in the middle, the composer below. */
export function ChatPage() {
  return (
    <AgentsProvider>
      <Chat />
    </AgentsProvider>
  );
}

/** `/chat?c=<id>` opens a conversation; `/chat` is a new one that starts with its first message. */
function useSelectedConversation(): [string | null, (id: string | null) => void] {
  const selected = useSearchParams().get('c');
  const select = useCallback((id: string | null) => {
    window.history.pushState(null, '', id ? `/chat?c=${encodeURIComponent(id)}` : '/chat');
  }, []);
  return [selected, select];
}

function Chat() {
  const [selectedId, select] = useSelectedConversation();
  const pages = useConversationPages();
  const { state: feed, error: feedError, whenReady } = useConversationFeed(selectedId);
  const { state, send } = useComposer({ conversationId: selectedId, feed, onCreated: select, whenReady });
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [sidebarOpen, setSidebarOpen] = useState(false);

  // The list shows titles, statuses and order: refresh it when a conversation starts or a turn ends.
  const status = feed.conversationId === selectedId ? (feed.conversation?.status ?? null) : null;
  const known = selectedId === null || pages.items.some((c) => c.id === selectedId);
  const { refetch } = pages;
  // biome-ignore lint/correctness/useExhaustiveDependencies: these are the moments the list changes.
  useEffect(() => {
    if (status !== null || !known) refetch();
  }, [status, known]);

  const open = (id: string | null) => {
    select(id);
    setSidebarOpen(false);
    if (id === null) requestAnimationFrame(() => textarea.current?.focus());
  };
  const step = (by: number) => {
    const index = pages.items.findIndex((c) => c.id === selectedId);
    const next = pages.items[index < 0 ? (by > 0 ? 0 : -1) : index + by];
    if (next) open(next.id);
  };
  const mode = (next: ChatMode) => send({ type: 'mode.changed', mode: next });
  useShortcuts({
    focusComposer: () => textarea.current?.focus(),
    newConversation: () => open(null),
    previousConversation: () => step(-1),
    nextConversation: () => step(1),
    modeSingle: () => mode('SINGLE'),
    modeMulti: () => mode('MULTI'),
    modeWorkflow: () => mode('WORKFLOW'),
  });

  const title = selectedId ? (feed.conversation?.title ?? 'Conversation') : 'New conversation';
  const loading = selectedId !== null && feed.snapshots === 0 && !feedError;
  return (
    <div className="chat" data-sidebar={sidebarOpen ? 'open' : 'closed'}>
      <aside className="chat__sidebar" aria-label="Conversations" id="conversations">
        <ConversationList
          pages={pages}
          selectedId={selectedId}
          liveStatus={status}
          onSelect={open}
          onNew={() => open(null)}
        />
      </aside>
      <section className="chat__main" aria-labelledby="chat-title">
        <header className="chat__header">
          <button
            type="button"
            className="button button--quiet button--small chat__sidebar-toggle"
            aria-expanded={sidebarOpen}
            aria-controls="conversations"
            onClick={() => setSidebarOpen((o) => !o)}
          >
            ☰ Conversations
          </button>
          <h1 id="chat-title" className="chat__title">
            {title}
          </h1>
        </header>
        <OfflineBanner />
        {feedError ? (
          <ErrorState
            title={feedError.code === 'NOT_FOUND' ? 'This conversation is gone' : 'Live updates failed'}
            error={feedError}
            onRetry={feedError.code === 'NOT_FOUND' ? () => open(null) : () => window.location.reload()}
            retryLabel={feedError.code === 'NOT_FOUND' ? 'Start a new conversation' : 'Reload'}
          />
        ) : loading ? (
          <LoadingState label="Opening the conversation…" />
        ) : (
          <MessageList
            feed={feed}
            onDecide={(conflictId, position) => send({ type: 'decide', conflictId, position })}
            deciding={state.matches('deciding')}
            error={state.matches('awaitingDecision') ? state.context.error : null}
          />
        )}
        <Composer ref={textarea} state={state} send={send} />
      </section>
      {sidebarOpen ? (
        <button
          type="button"
          className="chat__scrim"
          aria-label="Close the conversations"
          onClick={() => setSidebarOpen(false)}
        />
      ) : null}
    </div>
  );
}
