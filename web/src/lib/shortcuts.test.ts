import { describe, expect, it } from 'vitest';
import { type KeyInput, isEditable, matchShortcut } from './shortcuts';

const key = (patch: Partial<KeyInput>): KeyInput => ({
  key: '',
  code: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  editable: false,
  ...patch,
});

describe('matchShortcut', () => {
  it('maps Alt shortcuts by physical key, even while typing', () => {
    expect(matchShortcut(key({ altKey: true, code: 'KeyN', key: '˜', editable: true }))).toBe('newConversation');
    expect(matchShortcut(key({ altKey: true, code: 'ArrowDown' }))).toBe('nextConversation');
    expect(matchShortcut(key({ altKey: true, code: 'Digit2' }))).toBe('modeMulti');
  });

  it('keeps single keys for typing when focus is in a text field', () => {
    expect(matchShortcut(key({ key: '/' }))).toBe('focusComposer');
    expect(matchShortcut(key({ key: '/', editable: true }))).toBeNull();
    expect(matchShortcut(key({ key: '?', shiftKey: true }))).toBe('showShortcuts');
  });

  it('leaves the browser its Ctrl and Cmd shortcuts', () => {
    expect(matchShortcut(key({ altKey: true, ctrlKey: true, code: 'KeyN' }))).toBeNull();
    expect(matchShortcut(key({ metaKey: true, key: '/' }))).toBeNull();
  });
});

describe('isEditable', () => {
  it('treats text fields as editable and buttons or checkboxes as not', () => {
    expect(isEditable({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
    expect(isEditable({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
