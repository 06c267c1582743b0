'use client';

import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now (false while rendering on the server). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** The app's one breakpoint (globals.css switches at 760px too). */
export const NARROW = '(max-width: 760px)';
