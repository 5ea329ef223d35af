// The preload: the renderer's only door to main. It exposes exactly the contract's channels
// (a fixed allow-list, checked again in main) and nothing of Electron itself. Sandboxed preloads
// cannot import project files, so the list is written out here; app/preload.test.ts keeps it equal
// to shared/bridge.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const INVOKE_CHANNELS: readonly string[] = [
  'app.ready',
  'cti.command',
  'cti.query',
  'calllog.query',
  'calllog.exportCsv',
  'calllog.setNote',
  'callbacks.list',
  'callbacks.save',
  'callbacks.done',
  'callbacks.delete',
  'profiles.list',
  'profiles.save',
  'profiles.delete',
  'profiles.activate',
  'profiles.test',
  'profiles.export',
  'profiles.import',
  'profiles.logins',
  'screenpop.open',
  'admin.schema',
  'admin.list',
  'admin.get',
  'admin.save',
  'admin.delete',
  'diagnostics.info',
  'diagnostics.setLevel',
  'diagnostics.export',
  'settings.get',
  'settings.save',
];
const PUSH_CHANNELS: readonly string[] = ['state'];
const PREFIX = 'cti:';

contextBridge.exposeInMainWorld('agentDesktop', {
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (!INVOKE_CHANNELS.includes(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid', message: `unknown channel ${String(channel).slice(0, 64)}` } });
    }
    return ipcRenderer.invoke(PREFIX + channel, request);
  },
  on(channel: string, listener: (payload: unknown) => void): () => void {
    if (!PUSH_CHANNELS.includes(channel) || typeof listener !== 'function') return () => {};
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(PREFIX + channel, handler);
    return () => {
      ipcRenderer.removeListener(PREFIX + channel, handler);
    };
  },
});
