// The user's own settings, kept by main in the data folder (not per profile: one person, one
// keyboard, one headset): keyboard shortcuts and the desk's ringer.
import { z } from 'zod';
import { emptyShortcutSettings, ShortcutSettings } from './shortcuts.js';

export const ringToneIds = ['double', 'single', 'chime', 'beep'] as const;
export type RingToneId = (typeof ringToneIds)[number];

/**
 * The desk's own ring while a call rings on the phone: off by default (the phone rings), for an
 * agent who wears a headset and wants the ring on the speakers, or the other way round.
 */
export const RingerSettings = z
  .object({
    enabled: z.boolean().default(false),
    /** The audio output (a `MediaDeviceInfo.deviceId`); empty = the system's default output. */
    deviceId: z.string().max(256).default(''),
    /** Its name when it was chosen, to say which device is missing when it is unplugged. */
    deviceLabel: z.string().max(256).optional(),
    volume: z.number().min(0).max(1).default(0.6),
    tone: z.enum(ringToneIds).default('double'),
  })
  .strict();
export type RingerSettings = z.infer<typeof RingerSettings>;

export const defaultRingerSettings: RingerSettings = RingerSettings.parse({});

export const UserSettings = z
  .object({
    shortcuts: ShortcutSettings.default(emptyShortcutSettings),
    ringer: RingerSettings.default(defaultRingerSettings),
  })
  .strict();
export type UserSettings = z.infer<typeof UserSettings>;
