import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRingerSettings } from '../../shared/settings.js';
import { applyGlobalShortcuts, type GlobalShortcutHost } from './global-shortcuts.js';
import { USER_SETTINGS_FILE, UserSettingsStore } from './user-settings-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'user-settings-'));
  dirs.push(d);
  return d;
};

describe('UserSettingsStore', () => {
  it('starts from the defaults, saves, and reads the saved settings back after a restart', () => {
    const dir = tempDir();
    const store = new UserSettingsStore(dir);
    expect(store.get()).toEqual({ shortcuts: { keys: {}, global: {} }, ringer: defaultRingerSettings });
    store.save({
      shortcuts: { keys: { answerOrHangUp: 'F8' }, global: { answerOrHangUp: 'Control+Alt+A' } },
      ringer: { enabled: true, deviceId: 'usb-1', deviceLabel: 'USB headset', volume: 0.3, tone: 'chime' },
    });
    const again = new UserSettingsStore(dir);
    expect(again.get().shortcuts).toEqual({ keys: { answerOrHangUp: 'F8' }, global: { answerOrHangUp: 'Control+Alt+A' } });
    expect(again.get().ringer).toEqual({ enabled: true, deviceId: 'usb-1', deviceLabel: 'USB headset', volume: 0.3, tone: 'chime' });
    expect(again.loadProblem).toBeNull();
  });

  it('refuses invalid settings and keeps the ones in effect', () => {
    const dir = tempDir();
    const store = new UserSettingsStore(dir);
    store.save({ shortcuts: { keys: { help: 'F1' } } });
    expect(() => store.save({ shortcuts: { keys: { answerOrHangUp: 'Control+Shift+H' } } })).toThrow(/more than one shortcut/);
    expect(() => store.save({ ringer: { volume: 3 } })).toThrow();
    expect(() => store.save({ ringer: { tone: 'siren' } })).toThrow();
    expect(store.get().shortcuts.keys).toEqual({ help: 'F1' });
    expect(JSON.parse(readFileSync(join(dir, USER_SETTINGS_FILE), 'utf8'))).toEqual(store.get());
  });

  it('runs on the defaults and says why when the file is broken or invalid', () => {
    for (const content of ['{ "shortcuts": ', JSON.stringify({ shortcuts: { keys: { answerOrHangUp: 'H' } } })]) {
      const dir = tempDir();
      writeFileSync(join(dir, USER_SETTINGS_FILE), content);
      const store = new UserSettingsStore(dir);
      expect(store.get()).toEqual({ shortcuts: { keys: {}, global: {} }, ringer: defaultRingerSettings });
      expect(store.loadProblem).toContain(USER_SETTINGS_FILE);
      store.save({ shortcuts: { keys: { help: 'F1' } } });
      expect(new UserSettingsStore(dir).loadProblem).toBeNull();
    }
  });
});

describe('applyGlobalShortcuts', () => {
  it('registers the system-wide keys as accelerators and reports the ones another app holds', () => {
    const registered: { action: string; accelerator: string }[][] = [];
    const host: GlobalShortcutHost = {
      register: (bindings) => {
        registered.push(bindings);
        return bindings.filter((b) => b.accelerator === 'F7').map((b) => b.action);
      },
      clear: () => {},
    };
    const status = applyGlobalShortcuts(host, { keys: {}, global: { answerOrHangUp: 'Control+Alt+A', holdOrRetrieve: 'F7' } }, () => {});
    expect(registered).toEqual([
      [
        { action: 'answerOrHangUp', accelerator: 'CommandOrControl+Alt+A' },
        { action: 'holdOrRetrieve', accelerator: 'F7' },
      ],
    ]);
    expect(status).toEqual({ available: true, failed: ['holdOrRetrieve'] });
  });

  it('says system-wide keys are unavailable without a host', () => {
    expect(applyGlobalShortcuts(null, { keys: {}, global: { answerOrHangUp: 'F7' } }, () => {})).toMatchObject({ available: false, failed: [] });
  });
});
