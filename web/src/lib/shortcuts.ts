/**
 * The keyboard shortcuts, in one table (the shortcuts dialog and the README show it) and one pure
 * matcher. Letter and digit shortcuts match on `code`, so they work on every layout and with macOS's
 * Option key.
 */
export type ShortcutId =
  | 'focusComposer'
  | 'showShortcuts'
  | 'newConversation'
  | 'previousConversation'
  | 'nextConversation'
  | 'modeSingle'
  | 'modeMulti'
  | 'modeWorkflow';

export const shortcutList: readonly { id: ShortcutId | 'send' | 'newLine' | 'close'; keys: string; does: string }[] = [
  { id: 'send', keys: 'Enter', does: 'send the message' },
  { id: 'newLine', keys: 'Shift + Enter', does: 'new line in the message' },
  { id: 'focusComposer', keys: '/', does: 'write a message' },
  { id: 'newConversation', keys: 'Alt + N', does: 'new conversation' },
  { id: 'previousConversation', keys: 'Alt + ↑', does: 'previous conversation' },
  { id: 'nextConversation', keys: 'Alt + ↓', does: 'next conversation' },
  { id: 'modeSingle', keys: 'Alt + 1', does: 'single-agent mode' },
  { id: 'modeMulti', keys: 'Alt + 2', does: 'multi-agent mode' },
  { id: 'modeWorkflow', keys: 'Alt + 3', does: 'workflow mode' },
  { id: 'showShortcuts', keys: '?', does: 'show these shortcuts' },
  { id: 'close', keys: 'Esc', does: 'close a dialog or the feedback form' },
];

export interface KeyInput {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** True when focus is in a text field: single-key shortcuts must not steal typing. */
  editable: boolean;
}

const withAlt: Record<string, ShortcutId> = {
  KeyN: 'newConversation',
  ArrowUp: 'previousConversation',
  ArrowDown: 'nextConversation',
  Digit1: 'modeSingle',
  Digit2: 'modeMulti',
  Digit3: 'modeWorkflow',
};

export function matchShortcut(input: KeyInput): ShortcutId | null {
  if (input.ctrlKey || input.metaKey) return null;
  if (input.altKey) return input.shiftKey ? null : (withAlt[input.code] ?? null);
  if (input.editable) return null;
  if (input.key === '/') return 'focusComposer';
  if (input.key === '?') return 'showShortcuts';
  return null;
}

/** Whether a keyboard event's target takes text. */
export function isEditable(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element || typeof element.tagName !== 'string') return false;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA' || element.tagName === 'SELECT') return true;
  if (element.tagName !== 'INPUT') return false;
  const type = (element as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}
