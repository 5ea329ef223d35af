// pino-roll ships no types; this is the part of its API the desktop's log uses.
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom';
  import type { SonicBoomOpts } from 'sonic-boom';

  interface PinoRollOptions extends Omit<SonicBoomOpts, 'dest'> {
    /** Base path; pino-roll appends the file number and then `extension`. */
    file: string;
    /** Roll when a file reaches this size ('5m', '500k'). */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    /** Files kept besides the one in use. */
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }

  export default function build(options: PinoRollOptions): Promise<SonicBoom>;
}
