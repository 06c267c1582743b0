'use client';

import { useEffect, useRef } from 'react';
import { type ShortcutId, isEditable, matchShortcut } from './shortcuts';

/** Calls the handler of each shortcut pressed anywhere on the page (see `shortcuts.ts`). */
export function useShortcuts(handlers: Partial<Record<ShortcutId, () => void>>): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const id = matchShortcut({
        key: event.key,
        code: event.code,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        shiftKey: event.shiftKey,
        editable: isEditable(event.target),
      });
      const handler = id ? current.current[id] : undefined;
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
