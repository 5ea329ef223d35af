// InstantVoice return codes (digest §6, manual L2541–L2560), the codec's typed result and error
// types, and input handling (byte cap, UTF-8). Pure; never throws.

export type IvCodecErrorKind =
  | 'tooLarge'
  | 'encoding'
  | 'badJson'
  | 'tooDeep'
  | 'badShape'
  | 'badXml'
  | 'fault'
  | 'returnCode'
  | 'missingArgument'
  | 'badArgument';

export interface IvCodecError {
  kind: IvCodecErrorKind;
  message: string;
  /** For `returnCode`: the InstantVoice code and its name. */
  code?: number;
  codeName?: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: IvCodecError };

export function fail<T>(kind: IvCodecErrorKind, message: string, extra: Partial<IvCodecError> = {}): Decoded<T> {
  return { ok: false, error: { kind, message, ...extra } };
}

export function okValue<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/** Default byte cap for one message body or SOAP document (1 MiB). */
export const DEFAULT_MAX_BYTES = 1 << 20;
/** Nesting cap for JSON and XML. */
export const MAX_DEPTH = 64;

export interface ReturnCodeInfo {
  name: string;
  message: string;
}

/** Every return code of the manual (L2541–L2560), with a message fit for an agent or a log. */
export const ivReturnCodes: Readonly<Record<number, ReturnCodeInfo>> = {
  0: { name: 'SUCCESS', message: 'Success' },
  1: { name: 'RESPONSE_MISSING_ARGS', message: 'Mandatory arguments were not filled' },
  2: { name: 'RESPONSE_NO_MEMORY', message: 'The server ran out of memory' },
  3: { name: 'RESPONSE_NOT_FOUND', message: 'The target was not found (accountcode, agent, queue, line, call or permission group)' },
  4: { name: 'RESPONSE_DUPLICATE', message: 'Duplicate of a previous request: not acted on' },
  5: { name: 'RESPONSE_INVALID', message: 'The request does not make sense (invalid value or state)' },
  6: { name: 'RESPONSE_NOTEMPTY', message: 'The target must be empty but is not' },
  7: { name: 'RESPONSE_ITEM_FULL', message: 'The target cannot accept more requests of this kind now' },
  8: { name: 'RESPONSE_ITEM_EMPTY', message: 'The target is empty: the request cannot be done on it' },
  9: { name: 'RESPONSE_UNAUTHORIZED', message: 'Unauthorized: wrong access key or password for the target' },
  10: { name: 'RESPONSE_NOT_ALLOWED', message: 'The server is not allowed to perform the requested operation' },
  11: { name: 'RESPONSE_DISABLED', message: 'The target is disabled' },
  12: { name: 'RESPONSE_NO_LICENSE', message: 'The licensed agent count is exceeded' },
  1000: { name: 'RESPONSE_UNDEFINED', message: 'The IVACD is currently disabled' },
  9999: { name: 'RESPONSE_INTERNAL_ERROR', message: 'Unexpected server behaviour (internal error)' },
  [-1]: { name: 'DAC_OFFLINE', message: 'IVWS could not communicate with the IVACD' },
};

/** Name and message of a code; an unlisted code gets `CODE_<n>` and a generic message. */
export function describeCode(code: number): ReturnCodeInfo {
  return Object.hasOwn(ivReturnCodes, code)
    ? (ivReturnCodes[code] as ReturnCodeInfo)
    : { name: `CODE_${code}`, message: `Undocumented InstantVoice return code ${code}` };
}

/** The typed `returnCode` error for a non-zero code. */
export function returnCodeError<T>(code: number, description: string | null): Decoded<T> {
  const info = describeCode(code);
  const detail = description !== null && description !== '' ? ` (${description.slice(0, 200)})` : '';
  return fail('returnCode', `${info.name}: ${info.message}${detail}`, { code, codeName: info.name });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a body: byte cap first, UTF-8 (fatal) for bytes, BOM dropped. */
export function inputToText(input: string | Uint8Array, maxBytes: number = DEFAULT_MAX_BYTES): Decoded<string> {
  let text: string;
  if (typeof input === 'string') {
    // A UTF-16 unit is at most 3 UTF-8 bytes: only measure when it could be over.
    if (input.length * 3 > maxBytes && new TextEncoder().encode(input).length > maxBytes) return fail('tooLarge', `body over ${maxBytes} bytes`);
    text = input;
  } else {
    if (input.length > maxBytes) return fail('tooLarge', `body over ${maxBytes} bytes`);
    try {
      text = strictUtf8.decode(input);
    } catch {
      return fail('encoding', 'body is not valid UTF-8');
    }
  }
  return okValue(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
