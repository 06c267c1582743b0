'use client';

import { createContext, use } from 'react';
import { type ModelsSummary, ModelsQuery } from '@/lib/graphql/operations';
import { type QueryState, useQuery } from '@/lib/graphql/use-query';

const ServerInfoContext = createContext<QueryState<{ models: ModelsSummary }> | null>(null);

/** Asks the server once which models answer (and again after a reconnect), for every page. */
export function ServerInfoProvider({ children }: { children: React.ReactNode }) {
  const models = useQuery(ModelsQuery, {});
  return <ServerInfoContext value={models}>{children}</ServerInfoContext>;
}

/** `models { offlineOnly ollamaReachable ... }`, its loading state and error. */
export function useServerInfo(): QueryState<{ models: ModelsSummary }> {
  const value = use(ServerInfoContext);
  if (!value) throw new Error('useServerInfo needs a <ServerInfoProvider> above it');
  return value;
}
