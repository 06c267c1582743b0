'use client';

import { useEffect, useState } from 'react';
import { useConnectionState, useRevoClient } from '@/lib/graphql/revo-provider';

/** Shown while the live connection (graphql-ws) is down: it retries with backoff and says when. */
export function ConnectionBanner({ onSetToken }: { onSetToken: () => void }) {
  const client = useRevoClient();
  const connection = useConnectionState();
  const now = useTicker(connection.nextRetryAt !== null);

  if (connection.status === 'failed') {
    return (
      <div className="banner banner--error" role="alert" data-testid="connection-banner">
        <span>Live updates are off: {connection.reason ?? 'the server refused the connection'}.</span>
        <button type="button" className="button button--small" onClick={onSetToken}>
          Set API token
        </button>
        <button type="button" className="button button--small button--quiet" onClick={() => client?.reconnect()}>
          Retry
        </button>
      </div>
    );
  }
  if (connection.status !== 'reconnecting') return null;
  const wait = connection.nextRetryAt ? Math.max(0, Math.ceil((connection.nextRetryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner--warning" role="status" data-testid="connection-banner">
      <span className="spinner spinner--small" aria-hidden="true" />
      <span>
        Reconnecting to reVo…
        {connection.attempt > 0 ? ` attempt ${connection.attempt}` : ''}
        {wait > 0 ? `, next try in ${wait} s` : ''}
      </span>
      <button type="button" className="button button--small button--quiet" onClick={() => client?.reconnect()}>
        Retry now
      </button>
    </div>
  );
}

/** The time, refreshed twice a second while `active`. */
function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
