/**
 * The web app's settings. `NEXT_PUBLIC_*` values are inlined into the browser bundle by `next build`
 * (change them and build again); this is the only file that reads `process.env`.
 */
export interface WebEnv {
  /** GraphQL over HTTP. @default 'http://127.0.0.1:4000/graphql' */
  apiUrl: string;
  /** GraphQL over WebSocket (graphql-ws): the HTTP URL with ws: or wss:. */
  wsUrl: string;
  /** A bearer token for a server started with REVO_API_TOKEN; the login field overrides it. */
  token: string | undefined;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:4000/graphql';

/** The WebSocket URL of a GraphQL HTTP URL: same host and path, `ws:` for `http:`, `wss:` for `https:`. */
export function wsUrlFor(apiUrl: string): string {
  const url = new URL(apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Validates the raw settings; a bad value throws naming it, which fails the build. */
export function parseWebEnv(raw: { NEXT_PUBLIC_REVO_API?: string; NEXT_PUBLIC_REVO_TOKEN?: string }): WebEnv {
  const apiUrl = raw.NEXT_PUBLIC_REVO_API?.trim() || DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new Error(`NEXT_PUBLIC_REVO_API must be an absolute URL such as ${DEFAULT_API_URL}; got "${apiUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`NEXT_PUBLIC_REVO_API must be an http: or https: URL; got "${apiUrl}"`);
  }
  const token = raw.NEXT_PUBLIC_REVO_TOKEN?.trim() || undefined;
  return { apiUrl: parsed.toString(), wsUrl: wsUrlFor(parsed.toString()), token };
}

// Spelled out one by one: Next inlines `process.env.NEXT_PUBLIC_X` only where it appears literally.
export const webEnv: WebEnv = parseWebEnv({
  NEXT_PUBLIC_REVO_API: process.env.NEXT_PUBLIC_REVO_API,
  NEXT_PUBLIC_REVO_TOKEN: process.env.NEXT_PUBLIC_REVO_TOKEN,
});
