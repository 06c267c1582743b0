'use client';

import { useId, useState } from 'react';

/**
 * A button that shows or hides a panel (the WAI-ARIA disclosure pattern). Used instead of
 * `<details>`: its content is ordinary DOM, rendered only while open. Controlled with `open` and
 * `onOpenChange`, or on its own from `defaultOpen`.
 */
export function Disclosure({
  summary,
  children,
  open,
  onOpenChange,
  defaultOpen = false,
  className,
  testId,
}: {
  summary: React.ReactNode;
  children: React.ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  defaultOpen?: boolean;
  className?: string;
  testId?: string;
}) {
  const [own, setOwn] = useState(defaultOpen);
  const shown = open ?? own;
  const panel = useId();
  const toggle = () => {
    setOwn(!shown);
    onOpenChange?.(!shown);
  };
  return (
    <div className={className ? `disclosure ${className}` : 'disclosure'} data-testid={testId} data-open={shown}>
      <button type="button" className="disclosure__button" aria-expanded={shown} aria-controls={panel} onClick={toggle}>
        <span className="disclosure__chevron" aria-hidden="true" />
        {summary}
      </button>
      {shown ? (
        <div id={panel} className="disclosure__panel">
          {children}
        </div>
      ) : null}
    </div>
  );
}
