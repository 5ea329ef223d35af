// The TCP event socket framing (ports 9004/9000/9013, digest §4.3, L300–329) and the
// client -> server socket messages (§6.4). Pure; never throws.
//
// `SEP` = ASCII `82E51812-45C9-4733` + one 0x00. Reading, both the 18-byte marker and a lone
// 0x00 delimit frames (so `marker + NUL` is one delimiter followed by an empty frame, which is
// skipped): the split does not depend on where the chunks were cut. A frame longer than
// `maxFrameBytes` gives one typed `oversize` item and is skipped up to the next delimiter (resync).
import { escapeXml } from './xml.js';

export const SEPARATOR_MARKER = '82E51812-45C9-4733';
/** The separator as sent: the marker and one zero byte (L328). */
export const MESSAGE_SEPARATOR = `${SEPARATOR_MARKER}\u0000`;
/** Send the keep-alive every 30 s (L322). */
export const KEEPALIVE_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

const MARKER = Buffer.from(SEPARATOR_MARKER, 'ascii');
const encoder = new TextEncoder();

export type FrameItem =
  | { kind: 'frame'; text: string }
  | { kind: 'oversize'; limit: number }
  | { kind: 'badUtf8'; bytes: number }
  /** `end()` with an unterminated frame pending: it is discarded (digest §8 T20). */
  | { kind: 'truncated'; bytes: number };

export class EventFrameSplitter {
  private readonly maxFrameBytes: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private buf: Buffer = Buffer.alloc(0);
  /** Inside an oversize frame: drop bytes up to the next delimiter. */
  private skipping = false;

  constructor(opts: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = Math.max(1, opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  }

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array | string): FrameItem[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buf = this.buf.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.buf, bytes]);
    const out: FrameItem[] = [];
    let start = 0;
    for (;;) {
      const d = this.nextDelimiter(start);
      if (d === null) break;
      const piece = this.buf.subarray(start, d.at);
      if (this.skipping) this.skipping = false;
      else this.emit(piece, out);
      start = d.at + d.len;
    }
    this.buf = this.buf.subarray(start);
    // Hold at most the cap plus a partial marker; beyond that the frame is oversize.
    if (this.buf.length > this.maxFrameBytes + MARKER.length - 1) {
      if (!this.skipping) out.push({ kind: 'oversize', limit: this.maxFrameBytes });
      this.skipping = true;
      this.buf = Buffer.from(this.buf.subarray(this.buf.length - (MARKER.length - 1)));
    } else if (start > 0) {
      this.buf = Buffer.from(this.buf);
    }
    return out;
  }

  /** End of stream: a pending unterminated frame is reported and dropped. */
  end(): FrameItem[] {
    const out: FrameItem[] = [];
    if (!this.skipping && this.buf.toString('latin1').trim() !== '') out.push({ kind: 'truncated', bytes: this.buf.length });
    this.buf = Buffer.alloc(0);
    this.skipping = false;
    return out;
  }

  private nextDelimiter(from: number): { at: number; len: number } | null {
    const nul = this.buf.indexOf(0x00, from);
    const mark = this.buf.indexOf(MARKER, from);
    if (nul < 0 && mark < 0) return null;
    if (mark >= 0 && (nul < 0 || mark < nul)) return { at: mark, len: MARKER.length };
    return { at: nul, len: 1 };
  }

  private emit(piece: Buffer, out: FrameItem[]): void {
    if (piece.length > this.maxFrameBytes) {
      out.push({ kind: 'oversize', limit: this.maxFrameBytes });
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(piece);
    } catch {
      out.push({ kind: 'badUtf8', bytes: piece.length });
      return;
    }
    const trimmed = text.replace(/^\ufeff/, '').trim();
    if (trimmed !== '') out.push({ kind: 'frame', text: trimmed });
  }
}

/** The open-session message for ports 9004/9000 (L310), with its separator, as bytes. */
export function encodeOpenSession(tokenGuid: string): Uint8Array {
  return encoder.encode(`<TWS_WaitForGenericEvent><tokenGuid>${escapeXml(tokenGuid)}</tokenGuid></TWS_WaitForGenericEvent>${MESSAGE_SEPARATOR}`);
}

/** The keep-alive (L324), with its separator; send every `KEEPALIVE_INTERVAL_MS`. */
export function encodeKeepAlive(): Uint8Array {
  return encoder.encode(`<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>${MESSAGE_SEPARATOR}`);
}

/** The WebSocket (9003/9013) open message: the bare tokenGuid as one text frame (L354). */
export function encodeWebSocketOpen(tokenGuid: string): string {
  return tokenGuid.trim();
}
