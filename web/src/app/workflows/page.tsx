import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { WorkflowsPage } from '@/features/workflows/workflows-page';

export const metadata: Metadata = { title: 'Workflows' };

export default function Page() {
  // The open run is in the URL (`?run=`), which only the browser knows: render it there.
  return (
    <Suspense fallback={<LoadingState label="Loading workflows…" />}>
      <WorkflowsPage />
    </Suspense>
  );
}
