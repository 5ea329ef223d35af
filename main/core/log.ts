// Structured logging (pino) with secrets redacted, plus the per-profile protocol trace.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

/** Field names whose values never reach a log line. */
export const secretKeys = [
  'password',
  'userPassword',
  'adminPassword',
  'agentPassword',
  'secret',
  'token',
  'tokenGuid',
  'guidToken',
  'apiKey',
  'authorization',
  'cookie',
  // InstantVoice: STOMP CONNECT's passcode; the agents' and SIP users' passwords (pass / IVWS passwd, md5secret).
  'passcode',
  'pass',
  'passwd',
  'md5secret',
];

const redactPaths = secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(opts: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  const options = {
    name: opts.name ?? 'agent-desktop',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that discards everything (tests, CLI quiet mode). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

// Namespace prefixes and attributes count (IVWS writes <ivws:passwd>, WCF <a:Password i:type="…">).
const xmlSecret = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?(?:${secretKeys.join('|')}))(\\s[^>]*)?>[^<]*</\\1>`, 'gi');
const jsonSecret = new RegExp(`"(${secretKeys.join('|')})"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const headerSecret = /^(authorization|cookie|set-cookie|passcode):.*$/gim;
const querySecret = new RegExp(`([?&](?:${secretKeys.join('|')})=)[^&\\s]*`, 'gi');

/** Remove secrets from a wire frame (XML elements, JSON members, HTTP headers, query strings). */
export function redactFrame(frame: string): string {
  return frame
    .replace(xmlSecret, '<$1$2>[redacted]</$1>')
    .replace(jsonSecret, '"$1":"[redacted]"')
    .replace(headerSecret, '$1: [redacted]')
    .replace(querySecret, '$1[redacted]');
}

export type TraceFn = (direction: 'in' | 'out', channel: string, frame: string | Uint8Array) => void;

/** The protocol trace: every frame in and out, redacted, at debug level under `trace`. */
export function createTrace(log: Logger, enabled: boolean): TraceFn {
  if (!enabled) return () => {};
  return (direction, channel, frame) => {
    const text = typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8');
    log.info({ trace: { direction, channel, frame: redactFrame(text.slice(0, 65536)) } }, 'frame');
  };
}
