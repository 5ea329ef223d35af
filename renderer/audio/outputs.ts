// The computer's audio outputs, for the ringer's device list. Browsers name devices only once the
// page may use the microphone (in the desktop app, the shell lets its own page see the names).
export interface AudioOutput {
  deviceId: string;
  label: string;
}

export interface OutputList {
  outputs: AudioOutput[];
  /** False when the browser hides the devices' names (they show as "Speaker 1", …). */
  named: boolean;
}

/** The outputs other than the system default (which is always offered, as an empty id). */
export async function listOutputs(media: Pick<MediaDevices, 'enumerateDevices'> | undefined = globalThis.navigator?.mediaDevices): Promise<OutputList> {
  if (!media?.enumerateDevices) return { outputs: [], named: true };
  const devices = (await media.enumerateDevices()).filter((d) => d.kind === 'audiooutput' && d.deviceId !== '' && d.deviceId !== 'default');
  return {
    outputs: devices.map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Speaker ${i + 1}` })),
    named: devices.every((d) => d.label !== ''),
  };
}

/** Ask once for the microphone, only so that the browser names the devices; the stream is closed at once. */
export async function revealOutputNames(media: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices): Promise<boolean> {
  if (!media?.getUserMedia) return false;
  try {
    const stream = await media.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return true;
  } catch {
    return false;
  }
}

export interface OutputChoice {
  deviceId: string;
  label: string;
  /** The saved device is not connected now. */
  missing?: true;
}

/** The select's entries: the system default, the outputs, and the saved one if it is unplugged. */
export function outputChoices(list: readonly AudioOutput[], saved: { deviceId: string; deviceLabel?: string | undefined }): OutputChoice[] {
  const choices: OutputChoice[] = [{ deviceId: '', label: 'System default' }, ...list];
  if (saved.deviceId && !list.some((o) => o.deviceId === saved.deviceId)) {
    choices.push({ deviceId: saved.deviceId, label: `${saved.deviceLabel || 'Chosen speaker'} (not connected)`, missing: true });
  }
  return choices;
}
