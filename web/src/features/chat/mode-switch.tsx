import { useId } from 'react';
import type { ChatMode } from '@/lib/graphql/schema-types';
import { chatModes } from './chat-modes';

/** Single, multi-agent or workflow: a radio group styled as a segmented control (arrow keys move). */
export function ModeSwitch({
  mode,
  onChange,
  disabled = false,
}: {
  mode: ChatMode;
  onChange: (mode: ChatMode) => void;
  disabled?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="segmented" disabled={disabled} data-testid="mode-switch">
      <legend className="visually-hidden">Mode</legend>
      {chatModes.map((m) => (
        <label key={m.mode} className="segmented__option" title={m.hint}>
          <input type="radio" name={name} value={m.mode} checked={mode === m.mode} onChange={() => onChange(m.mode)} />
          <span>{m.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
