'use client';

import { useState } from 'react';
import type { SnapshotFrom } from 'xstate';
import { AgentPicker } from './agent-picker';
import type { ComposerEvent, ComposerMachine } from './composer.machine';
import { ModeSwitch } from './mode-switch';
import { SelectionPreview } from './selection-preview';

type State = SnapshotFrom<ComposerMachine>;

function statusLine(state: State): string | null {
  if (state.matches('sending')) return 'Sending…';
  if (state.matches('streaming')) return 'reVo is answering. You can write your next message meanwhile.';
  if (state.matches('stopping')) return 'Stopping…';
  if (state.matches('awaitingDecision')) return 'The agents need your decision above.';
  if (state.matches('deciding')) return 'Sending your decision…';
  return state.context.notice;
}

/**
 * Where a person writes: the mode, the agents (or automatic selection with a preview of who would
 * be picked), the message, and the state of their turn. Enter sends, Shift+Enter breaks the line.
 */
export function Composer({
  state,
  send,
  ref,
}: {
  state: State;
  send: (event: ComposerEvent) => void;
  ref?: React.Ref<HTMLTextAreaElement>;
}) {
  const { text, mode, agents, error } = state.context;
  const busy = !state.matches('idle') && !state.matches('error');
  const running = state.matches('streaming') || state.matches('awaitingDecision');
  const status = statusLine(state);
  const [pickerOpen, setPickerOpen] = useState(false);
  const submit = () => {
    setPickerOpen(false);
    send({ type: 'submit' });
  };
  return (
    <form
      className="composer"
      data-testid="composer"
      data-state={JSON.stringify(state.value).replaceAll('"', '')}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="composer__toolbar">
        <ModeSwitch mode={mode} onChange={(next) => send({ type: 'mode.changed', mode: next })} />
        <AgentPicker
          mode={mode}
          agents={agents}
          onChange={(next) => send({ type: 'agents.changed', agents: next })}
          open={pickerOpen}
          onOpenChange={setPickerOpen}
        />
      </div>
      {agents.length === 0 ? <SelectionPreview text={text} /> : null}
      <div className="composer__row">
        <label className="visually-hidden" htmlFor="composer-input">
          Message
        </label>
        <textarea
          ref={ref}
          id="composer-input"
          className="composer__input"
          rows={Math.min(8, Math.max(2, text.split('\n').length))}
          placeholder={
            mode === 'MULTI'
              ? 'Ask several agents, e.g. “Compare REST, GraphQL and gRPC for the public API”'
              : mode === 'WORKFLOW'
                ? 'Describe a job, e.g. “Implement a rate limiter, test it and deploy it”'
                : 'Ask reVo, e.g. “Write a function that adds two numbers”'
          }
          value={text}
          readOnly={state.matches('sending')}
          onChange={(event) => send({ type: 'text.changed', text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        {running ? (
          <button type="button" className="button button--stop" onClick={() => send({ type: 'stop' })}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button--primary" disabled={busy || text.trim().length === 0}>
            {state.matches('sending') ? 'Sending…' : 'Send'}
          </button>
        )}
      </div>
      <div className="composer__status" role="status" aria-live="polite">
        {state.matches('error') ? (
          <span className="composer__error">
            {error}{' '}
            <button type="button" className="link-button" onClick={() => send({ type: 'retry' })}>
              Try again
            </button>{' '}
            <button type="button" className="link-button" onClick={() => send({ type: 'dismiss' })}>
              Dismiss
            </button>
          </span>
        ) : (
          status
        )}
        {!state.matches('error') && error && !state.matches('deciding') && !state.matches('awaitingDecision') ? (
          <span className="composer__error"> {error}</span>
        ) : null}
      </div>
      <p className="composer__hint">
        <kbd>Enter</kbd> send · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · <kbd>?</kbd> shortcuts
      </p>
    </form>
  );
}
