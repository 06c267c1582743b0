import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { InspectorPage } from '@/features/inspector/inspector-page';

export const metadata: Metadata = { title: 'Inspector' };

export default function Page() {
  // The chosen actor is in the URL (`?actor=`, `?run=`), which only the browser knows: render it there.
  return (
    <Suspense fallback={<LoadingState label="Loading the inspector…" />}>
      <InspectorPage />
    </Suspense>
  );
}
