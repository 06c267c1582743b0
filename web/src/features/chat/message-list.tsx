'use client';

import { useEffect, useRef } from 'react';
import { EmptyState } from '@/components/ui/states';
import { type FeedState, liveTurn } from './conversation-feed';
import type { DecisionProps } from './conflict-view';
import { AssistantMessage, UserMessage } from './message-item';
import { LiveTurn } from './turn-view';

/**
 * The conversation: its messages, then the turn that is running. Follows new content while the
 * reader is at the bottom, and leaves them alone when they scrolled up.
 */
export function MessageList({ feed, ...decision }: { feed: FeedState } & DecisionProps) {
  const live = liveTurn(feed);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastAssistant = feed.messages.findLast((m) => m.role === 'ASSISTANT');

  // Follow the content as it grows (streamed text, a panel that loaded) while the reader is at the bottom.
  useEffect(() => {
    const element = scroller.current;
    const content = element?.firstElementChild;
    if (!element || !content) return;
    const follow = () => {
      if (pinned.current) element.scrollTop = element.scrollHeight;
    };
    const observer = new ResizeObserver(follow);
    observer.observe(content);
    follow();
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={scroller}
      className="chat-log"
      data-testid="chat-log"
      onScroll={(event) => {
        const el = event.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <div className="chat-log__items">
        {feed.messages.length === 0 && !live ? (
          <EmptyState title="No messages yet">
            Ask something below. In <strong>Multi-agent</strong> mode several agents answer and argue out where they
            disagree.
          </EmptyState>
        ) : null}
        {feed.messages.map((message) =>
          message.role === 'USER' ? (
            <UserMessage key={message.id} message={message} />
          ) : (
            <AssistantMessage
              key={message.id}
              message={message}
              liveTurn={message.runId ? feed.turns[message.runId] : undefined}
              expanded={message === lastAssistant}
              {...decision}
            />
          ),
        )}
        {live ? <LiveTurn turn={live} {...decision} /> : null}
      </div>
    </div>
  );
}
