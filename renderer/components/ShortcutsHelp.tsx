// Help: the keyboard shortcuts, straight from the table the handler uses, and diagnostics.
import { shortcutHelp } from '../shortcuts/shortcuts.js';
import { DiagnosticsSection } from './DiagnosticsSection.js';
import { Modal } from './Modal.js';

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Help" onClose={onClose} className="modal-sm" testId="help-dialog">
      <h3 className="help-heading">Keyboard shortcuts</h3>
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
      <DiagnosticsSection />
    </Modal>
  );
}
