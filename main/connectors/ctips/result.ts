// CTIPS codec result and error types, and input handling (byte cap, strict UTF-8, BOM). Pure;
// nothing here throws.

export type CtipsErrorKind =
  | 'tooLarge'
  | 'encoding'
  | 'badXml'
  | 'tooDeep'
  | 'badShape'
  | 'fault'
  | 'status'
  | 'unknownOperation'
  | 'missingField'
  | 'badField';

export interface CtipsFault {
  soapVersion: '1.1' | '1.2';
  /** Local part of faultcode / Code/Value: `Client`, `Server` (1.1), `Sender`, `Receiver` (1.2), … */
  code: string;
  /** The qualified text as received (`s:Client`). */
  rawCode: string;
  /** SOAP 1.2 Subcode/Value local part, when present. */
  subcode: string | null;
  /** faultstring (1.1) or the first Reason/Text (1.2). */
  reason: string;
  /** faultactor (1.1) or Role (1.2). */
  actor: string | null;
  /** The detail element's text content (trimmed, capped), or null. */
  detailText: string | null;
  /** The invented `CTIFault {Code, Message}` detail of the wire profile (digest §1.5 #8), when present. */
  ctiFault: { code: number | null; message: string | null } | null;
}

export interface CtipsError {
  kind: CtipsErrorKind;
  message: string;
  /** `status`: the non-zero int (or OpenConnection Status) returned. */
  status?: number;
  /** `fault`: the decoded SOAP fault. */
  fault?: CtipsFault;
  /** `missingField` / `badField`: the field. */
  field?: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: CtipsError };

export function fail<T>(kind: CtipsErrorKind, message: string, extra: Partial<CtipsError> = {}): Decoded<T> {
  return { ok: false, error: { kind, message, ...extra } };
}

export function okValue<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/** Default byte cap for one SOAP document (1 MiB). */
export const DEFAULT_MAX_BYTES = 1 << 20;
/** Element nesting cap. */
export const MAX_DEPTH = 64;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a document: byte cap first, strict UTF-8 for bytes, BOM dropped. */
export function inputToText(input: string | Uint8Array, maxBytes: number = DEFAULT_MAX_BYTES): Decoded<string> {
  let text: string;
  if (typeof input === 'string') {
    if (input.length * 3 > maxBytes && new TextEncoder().encode(input).length > maxBytes) return fail('tooLarge', `document over ${maxBytes} bytes`);
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.length > maxBytes) return fail('tooLarge', `document over ${maxBytes} bytes`);
    try {
      text = strictUtf8.decode(input);
    } catch {
      return fail('encoding', 'document is not valid UTF-8');
    }
  } else return fail('badShape', 'input must be a string or bytes');
  return okValue(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
