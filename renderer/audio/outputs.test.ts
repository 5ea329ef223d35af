import { describe, expect, it } from 'vitest';
import { listOutputs, outputChoices, revealOutputNames } from './outputs.js';

const device = (kind: MediaDeviceKind, deviceId: string, label = ''): MediaDeviceInfo => ({ kind, deviceId, label, groupId: 'g', toJSON: () => ({}) });

describe('audio outputs', () => {
  it('lists the outputs other than the default, named or numbered', async () => {
    const media = {
      enumerateDevices: async () => [device('audioinput', 'mic'), device('audiooutput', 'default', 'Default'), device('audiooutput', 'spk', 'Speakers'), device('audiooutput', 'usb', 'USB headset')],
    };
    expect(await listOutputs(media)).toEqual({ outputs: [{ deviceId: 'spk', label: 'Speakers' }, { deviceId: 'usb', label: 'USB headset' }], named: true });
    const hidden = { enumerateDevices: async () => [device('audiooutput', 'spk'), device('audiooutput', 'usb')] };
    expect(await listOutputs(hidden)).toEqual({ outputs: [{ deviceId: 'spk', label: 'Speaker 1' }, { deviceId: 'usb', label: 'Speaker 2' }], named: false });
    expect(await listOutputs({} as Pick<MediaDevices, 'enumerateDevices'>)).toEqual({ outputs: [], named: true });
  });

  it('offers the system default first, and keeps an unplugged saved speaker by its name', () => {
    const list = [{ deviceId: 'spk', label: 'Speakers' }];
    expect(outputChoices(list, { deviceId: '' })).toEqual([{ deviceId: '', label: 'System default' }, { deviceId: 'spk', label: 'Speakers' }]);
    expect(outputChoices(list, { deviceId: 'usb', deviceLabel: 'USB headset' })).toEqual([
      { deviceId: '', label: 'System default' },
      { deviceId: 'spk', label: 'Speakers' },
      { deviceId: 'usb', label: 'USB headset (not connected)', missing: true },
    ]);
  });

  it('asks for the microphone only to name the devices, and closes it at once', async () => {
    const stopped: string[] = [];
    const stream = { getTracks: () => [{ stop: () => stopped.push('mic') }] } as unknown as MediaStream;
    expect(await revealOutputNames({ getUserMedia: async () => stream })).toBe(true);
    expect(stopped).toEqual(['mic']);
    expect(await revealOutputNames({ getUserMedia: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) })).toBe(false);
    expect(await revealOutputNames({} as Pick<MediaDevices, 'getUserMedia'>)).toBe(false);
  });
});
