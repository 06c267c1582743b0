import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { ChatPage } from '@/features/chat/chat-page';

export const metadata: Metadata = { title: 'Chat' };

export default function Page() {
  // The open conversation is in the URL (`?c=`), which only the browser knows: render it there.
  return (
    <Suspense fallback={<LoadingState label="Loading the chat…" />}>
      <ChatPage />
    </Suspense>
  );
}
