// Rings the desk while a call rings on the phone, when the agent switched the ringer on (Help →
// Ringer): the ringer follows the view's ringing calls and the saved settings. A chosen speaker that
// is unplugged rings on the default output instead, and a toast says so.
import { useEffect } from 'react';
import { create } from 'zustand';
import { Ringer, type RingerPlay, type RingerStatus } from '../audio/ringer.js';
import { ringingCalls } from './selectors.js';
import { useSettings } from './settings.js';
import { useToastStore } from './toastStore.js';
import { useViewStore } from './viewStore.js';

/** One ringer for the page (it holds the page's one AudioContext, made on the first ring). */
export const deskRinger = new Ringer();

export const useRingerStatus = create<RingerStatus>(() => deskRinger.current);
deskRinger.onStatus((s) => useRingerStatus.setState(s, true));

/** Ring (or test); where this computer cannot play sound (no audio output, Web Audio missing or refused), a toast says why and the desk stays quiet. */
export async function ringDesk(play: RingerPlay, cycles?: number): Promise<void> {
  try {
    await deskRinger.ring(play, cycles);
  } catch (err) {
    deskRinger.stop();
    useToastStore.getState().push('warning', `The desk cannot ring on this computer: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function useDeskRinger(): void {
  const settings = useSettings().data?.settings.ringer;
  const ringing = useViewStore((s) => ringingCalls(s.view).length > 0);

  useEffect(() => {
    if (!settings?.enabled || !ringing) return;
    void ringDesk(settings);
    return () => deskRinger.stop();
  }, [settings, ringing]);

  useEffect(
    () =>
      useRingerStatus.subscribe((s, prev) => {
        if (s.fallback && s.fallback !== prev.fallback) useToastStore.getState().push('warning', `${s.fallback} is not connected: the desk rings on the system’s default output.`);
      }),
    [],
  );
}
