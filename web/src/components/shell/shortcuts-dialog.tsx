'use client';

import { shortcutList } from '@/lib/shortcuts';
import { ModalDialog } from './modal-dialog';

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className="shortcuts">
        <tbody>
          {shortcutList.map((shortcut) => (
            <tr key={shortcut.id}>
              <th scope="row">
                <kbd>{shortcut.keys}</kbd>
              </th>
              <td>{shortcut.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ModalDialog>
  );
}
