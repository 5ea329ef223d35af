// The keyboard shortcuts, straight from the table the handler uses.
import { shortcutHelp } from '../shortcuts/shortcuts.js';
import { Modal } from './Modal.js';

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} className="modal-sm" testId="help-dialog">
      <table className="table shortcuts">
        <tbody>
          {shortcutHelp.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">On macOS, Cmd works wherever Ctrl is listed. Tab and Shift+Tab move between controls; Enter dials from the number field.</p>
    </Modal>
  );
}
