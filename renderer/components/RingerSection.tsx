// Help → Ringer: the desk's own ring while a call rings on the phone (off by default: the phone
// rings). The agent picks the speaker (e.g. the computer's, while the headset is on), the tone and
// the volume, and can test them. Saved in the user's settings by main.
import { useCallback, useEffect, useState } from 'react';
import { defaultRingerSettings, ringToneIds, type RingerSettings } from '../../shared/settings.js';
import { type AudioOutput, listOutputs, outputChoices, revealOutputNames } from '../audio/outputs.js';
import { ringTones } from '../audio/ringTones.js';
import { useSaveSettings, useSettings } from '../state/settings.js';
import { deskRinger, ringDesk, useRingerStatus } from '../state/ringer.js';
import { toastError } from '../state/toastStore.js';

function useOutputs() {
  const [list, setList] = useState<{ outputs: AudioOutput[]; named: boolean }>({ outputs: [], named: true });
  const refresh = useCallback(() => {
    listOutputs()
      .then(setList)
      .catch(() => setList({ outputs: [], named: true }));
  }, []);
  useEffect(() => {
    refresh();
    const media = navigator.mediaDevices;
    media?.addEventListener?.('devicechange', refresh);
    return () => media?.removeEventListener?.('devicechange', refresh);
  }, [refresh]);
  return { ...list, refresh };
}

export function RingerSection() {
  const saved = useSettings().data?.settings.ringer ?? defaultRingerSettings;
  const save = useSaveSettings();
  const status = useRingerStatus();
  const { outputs, named, refresh } = useOutputs();
  const choices = outputChoices(outputs, saved);

  const change = (part: Partial<RingerSettings>) => {
    const ringer = { ...saved, ...part };
    save.mutate({ ringer }, { onError: (err) => toastError(`Ringer settings not saved: ${err.message}`) });
  };
  const pickDevice = (deviceId: string) => {
    const label = choices.find((c) => c.deviceId === deviceId && !c.missing)?.label;
    const { deviceLabel: _old, ...rest } = saved;
    change({ ...rest, deviceId, ...(deviceId && label ? { deviceLabel: label } : {}) });
  };

  return (
    <section className="diagnostics ringer" aria-labelledby="ringer-title" data-testid="ringer">
      <h3 id="ringer-title">Ringer</h3>
      <label className="check">
        <input type="checkbox" checked={saved.enabled} onChange={(e) => change({ enabled: e.target.checked })} data-testid="ringer-enabled" />
        Ring on this computer too while a call rings
      </label>
      <div className="ringer-grid">
        <label htmlFor="ringer-device">Speaker</label>
        <div className="diagnostics-row">
          <select id="ringer-device" className="input select" value={saved.deviceId} onChange={(e) => pickDevice(e.target.value)} data-testid="ringer-device">
            {choices.map((c) => (
              <option key={c.deviceId || 'default'} value={c.deviceId}>
                {c.label}
              </option>
            ))}
          </select>
          {!named && (
            <button type="button" className="btn btn-sm" onClick={() => void revealOutputNames().then(refresh)} data-testid="ringer-reveal" title="The browser names the speakers once the page may use the microphone; nothing is recorded">
              Show names
            </button>
          )}
        </div>
        <label htmlFor="ringer-tone">Tone</label>
        <select id="ringer-tone" className="input select" value={saved.tone} onChange={(e) => change({ tone: e.target.value as RingerSettings['tone'] })} data-testid="ringer-tone">
          {ringToneIds.map((id) => (
            <option key={id} value={id}>
              {ringTones[id].label}
            </option>
          ))}
        </select>
        <label htmlFor="ringer-volume">Volume</label>
        <div className="diagnostics-row">
          <input
            id="ringer-volume"
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(saved.volume * 100)}
            onChange={(e) => change({ volume: Number(e.target.value) / 100 })}
            data-testid="ringer-volume"
          />
          <span className="mono ringer-volume-value">{Math.round(saved.volume * 100)} %</span>
          {/* Not while it rings for a call: the test would end that ring. */}
          <button type="button" className="btn btn-sm" disabled={status.state !== 'idle'} onClick={() => void ringDesk(saved, 1)} data-testid="ringer-test">
            Test
          </button>
        </div>
      </div>
      <p className="hint" role="status" data-testid="ringer-status" data-state={status.state}>
        {status.state === 'ringing' ? `Ringing${status.fallback ? ` on the default output (${status.fallback} is not connected)` : ''}…` : status.state === 'blocked' ? 'The browser keeps the sound off until you click in the page.' : ''}
      </p>
    </section>
  );
}

function BellIcon() {
  return (
    <svg className="bell-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v2.6l1.2 1.7a.6.6 0 0 1-.5.95H2.8a.6.6 0 0 1-.5-.95l1.2-1.7V7.5A4.5 4.5 0 0 1 7 3.1v-.6a1 1 0 0 1 1-1ZM6.3 13.8h3.4a1.7 1.7 0 0 1-3.4 0Z" />
    </svg>
  );
}

/** In the header while the ringer rings, or waits for a click to be allowed to. */
export function RingerIndicator() {
  const status = useRingerStatus();
  if (status.state === 'idle') return null;
  if (status.state === 'blocked') {
    return (
      <button type="button" className="btn btn-sm ringer-blocked" onClick={() => deskRinger.unblock()} data-testid="ringer-unblock" title="The browser blocks sound until the page is clicked">
        <BellIcon /> Allow the ring
      </button>
    );
  }
  return (
    <span className="chip ringer-on" role="status" data-testid="ringer-on" title="The desk is ringing">
      <BellIcon /> Ringing
    </span>
  );
}
