/**
 * The API token a person typed into the login field, kept in localStorage so it survives reloads.
 * It wins over `NEXT_PUBLIC_REVO_TOKEN`.
 */
const KEY = 'revo.apiToken';

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    // Storage can be disabled (private windows, policies): the token then lives for the page only.
    return undefined;
  }
}

let memory: string | undefined;

export function readStoredToken(): string | undefined {
  return storage()?.getItem(KEY) ?? memory ?? undefined;
}

/** Stores the token, or forgets it with `undefined` or an empty string. */
export function storeToken(token: string | undefined): void {
  const value = token?.trim() || undefined;
  memory = value;
  const store = storage();
  if (!store) return;
  if (value) store.setItem(KEY, value);
  else store.removeItem(KEY);
}
