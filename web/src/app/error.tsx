'use client';

import { ErrorState } from '@/components/ui/states';

/** A page that threw while rendering: say so and offer to render it again. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <section className="page">
      <ErrorState
        title="This page failed"
        error={error instanceof Error ? error : new Error(String(error))}
        onRetry={retry}
      />
    </section>
  );
}
