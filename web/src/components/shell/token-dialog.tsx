'use client';

import { useState } from 'react';
import { useRevo } from '@/lib/graphql/revo-provider';
import { ModalDialog } from './modal-dialog';

/** The login field: a server started with REVO_API_TOKEN wants it on every request and socket. */
export function TokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { setToken, hasToken } = useRevo();
  const [value, setValue] = useState('');
  return (
    <ModalDialog open={open} onClose={onClose} title="API token">
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          setToken(value);
          setValue('');
          onClose();
        }}
      >
        <p className="form__hint">
          Needed only when the server runs with <code>REVO_API_TOKEN</code>. It is kept in this browser (localStorage)
          and sent as <code>Authorization: Bearer …</code>.
        </p>
        <label className="field">
          <span className="field__label">Token</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={hasToken ? 'a token is set; type a new one to replace it' : 'at least 16 characters'}
          />
        </label>
        <div className="form__actions">
          {hasToken ? (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setToken(undefined);
                onClose();
              }}
            >
              Forget token
            </button>
          ) : null}
          <button type="submit" className="button button--primary" disabled={value.trim().length === 0}>
            Save
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
