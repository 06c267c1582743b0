'use client';

import { createContext, use, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { webEnv } from '../env';
import { readStoredToken, storeToken } from './api-token';
import { type ConnectionState, type RevoClient, createRevoClient } from './client';

interface RevoContextValue {
  /** `null` until the browser has mounted (no client exists during server rendering). */
  client: RevoClient | null;
  /** Bumps when the token changes, so queries made with the old one run again. */
  authVersion: number;
  hasToken: boolean;
  setToken(token: string | undefined): void;
}

const RevoContext = createContext<RevoContextValue | null>(null);

/**
 * Gives every page the GraphQL client: one per browser tab, created after mount and disposed on
 * unmount. The token comes from the login field (localStorage) or `NEXT_PUBLIC_REVO_TOKEN`.
 */
export function RevoProvider({ children }: { children: React.ReactNode }) {
  const [client, setClient] = useState<RevoClient | null>(null);
  const [authVersion, setAuthVersion] = useState(0);
  const [hasToken, setHasToken] = useState(false);

  useEffect(() => {
    const created = createRevoClient({
      apiUrl: webEnv.apiUrl,
      wsUrl: webEnv.wsUrl,
      getToken: () => readStoredToken() ?? webEnv.token,
    });
    setHasToken(Boolean(readStoredToken() ?? webEnv.token));
    setClient(created);
    return () => created.dispose();
  }, []);

  const setToken = useCallback(
    (token: string | undefined) => {
      storeToken(token);
      setHasToken(Boolean(readStoredToken() ?? webEnv.token));
      setAuthVersion((v) => v + 1);
      client?.reconnect();
    },
    [client],
  );

  const value = useMemo(() => ({ client, authVersion, hasToken, setToken }), [client, authVersion, hasToken, setToken]);
  return <RevoContext value={value}>{children}</RevoContext>;
}

export function useRevo(): RevoContextValue {
  const value = use(RevoContext);
  if (!value) throw new Error('useRevo needs a <RevoProvider> above it');
  return value;
}

export const useRevoClient = (): RevoClient | null => useRevo().client;

const STARTING: ConnectionState = { status: 'connecting', attempt: 0, nextRetryAt: null, reason: null, connects: 0 };
const noSubscription = () => () => {};

/** The WebSocket's state, for banners and badges. */
export function useConnectionState(): ConnectionState {
  const client = useRevoClient();
  return useSyncExternalStore(
    client?.connection.subscribe ?? noSubscription,
    () => client?.connection.get() ?? STARTING,
    () => STARTING,
  );
}
