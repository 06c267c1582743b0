'use client';

import Link from 'next/link';
import { useState } from 'react';
import { RevoProvider, useRevo } from '@/lib/graphql/revo-provider';
import { useShortcuts } from '@/lib/use-shortcuts';
import { ConnectionBanner } from './connection-banner';
import { MainNav } from './main-nav';
import { OfflineBadge } from './offline-badge';
import { ServerInfoProvider } from './server-info';
import { ShortcutsDialog } from './shortcuts-dialog';
import { TokenDialog } from './token-dialog';

/** Every page's frame: the GraphQL client, the header with the nav and status, banners, dialogs. */
export function AppShell({ children }: { children: React.ReactNode }) {
  return (
    <RevoProvider>
      <ServerInfoProvider>
        <Frame>{children}</Frame>
      </ServerInfoProvider>
    </RevoProvider>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  const { hasToken } = useRevo();
  const [dialog, setDialog] = useState<'token' | 'shortcuts' | null>(null);
  useShortcuts({ showShortcuts: () => setDialog('shortcuts') });
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <Link href="/chat" className="brand" aria-label="reVo home">
          <span className="brand__mark" aria-hidden="true">
            re
          </span>
          <span className="brand__name">reVo</span>
        </Link>
        <MainNav />
        <div className="shell__tools">
          <OfflineBadge />
          <button
            type="button"
            className="icon-button"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setDialog('shortcuts')}
          >
            ?
          </button>
          <button
            type="button"
            className={hasToken ? 'icon-button icon-button--on' : 'icon-button'}
            aria-label={hasToken ? 'API token (set)' : 'API token'}
            title="API token"
            onClick={() => setDialog('token')}
          >
            <KeyIcon />
          </button>
        </div>
      </header>
      <ConnectionBanner onSetToken={() => setDialog('token')} />
      <main id="main" className="shell__main" tabIndex={-1}>
        {children}
      </main>
      <TokenDialog open={dialog === 'token'} onClose={() => setDialog(null)} />
      <ShortcutsDialog open={dialog === 'shortcuts'} onClose={() => setDialog(null)} />
    </div>
  );
}

function KeyIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <circle cx="8" cy="15" r="4" />
      <path d="m10.8 12.2 8.2-8.2M16 7l3 3M14 9l2 2" />
    </svg>
  );
}
