'use client';

import { useServerInfo } from './server-info';

/** In the header: says so when every answer comes from the offline model. */
export function OfflineBadge() {
  const { data } = useServerInfo();
  if (!data?.models.offlineOnly) return null;
  return (
    <span
      className="badge badge--offline badge--header"
      data-testid="offline-badge"
      title="No model server answers: reVo's deterministic offline model writes every answer."
    >
      Offline<span className="hide-narrow">{'\u00a0'}model</span>
    </span>
  );
}

/** Under the header of pages that show answers: what the offline model means for them. */
export function OfflineBanner() {
  const { data } = useServerInfo();
  if (!data?.models.offlineOnly) return null;
  const why = data.models.ollamaReachable
    ? 'the server runs with REVO_OFFLINE=1'
    : `Ollama does not answer at ${data.models.ollamaBaseUrl}`;
  return (
    <div className="banner banner--offline" role="note" data-testid="offline-banner">
      <strong>Offline model.</strong> Answers are deterministic placeholders labelled “[offline model]”: {why}.
    </div>
  );
}
