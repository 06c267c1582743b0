import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { BuilderPage } from '@/features/builder/builder-page';

export const metadata: Metadata = { title: 'Builder' };

export default function Page() {
  // The open template is in the URL (`?template=`), which only the browser knows: render it there.
  return (
    <Suspense fallback={<LoadingState label="Loading the builder…" />}>
      <BuilderPage />
    </Suspense>
  );
}
