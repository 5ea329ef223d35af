// The event channel's framing: one JSON event per line ('\n'), whatever the HTTP chunking
// (digest §1.7, [EXT]: ALE's SDK and tutorial). Pure and never throws.
//
// Bytes are accumulated and split on 0x0A, which never occurs inside a UTF-8 multi-byte sequence,
// so a character split across two chunks is reassembled before it is decoded. A trailing '\r' is
// dropped (CRLF), blank lines are skipped. A line longer than `maxLineBytes` gives one typed
// `oversize` error and is skipped up to the next newline, where the stream resynchronises; the
// result does not depend on where the chunks were cut (split invariance).

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export type SplitItem = { kind: 'line'; text: string } | { kind: 'oversize'; limit: number } | { kind: 'badUtf8'; bytes: number };

export class LineSplitter {
  private readonly maxLineBytes: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private parts: Buffer[] = [];
  private size = 0;
  /** Inside an oversize line: drop bytes up to the next newline. */
  private skipping = false;

  constructor(opts: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = Math.max(1, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** Bytes held for an incomplete line. */
  get pending(): number {
    return this.size;
  }

  push(chunk: Uint8Array | string): SplitItem[] {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: SplitItem[] = [];
    let start = 0;
    while (start <= buf.length) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) {
        this.hold(buf.subarray(start), out);
        break;
      }
      const piece = buf.subarray(start, nl);
      if (this.skipping) {
        this.skipping = false;
      } else if (this.size + piece.length > this.maxLineBytes + 1) {
        // +1: a CR before the newline is not part of the line.
        out.push({ kind: 'oversize', limit: this.maxLineBytes });
      } else {
        this.parts.push(piece);
        this.size += piece.length;
        this.emitLine(out);
      }
      this.drop();
      start = nl + 1;
    }
    return out;
  }

  /** End of stream: a trailing fragment without a newline still counts as a line. */
  end(): SplitItem[] {
    const out: SplitItem[] = [];
    if (!this.skipping && this.size > 0) this.emitLine(out);
    this.drop();
    this.skipping = false;
    return out;
  }

  private hold(rest: Buffer, out: SplitItem[]): void {
    if (this.skipping || rest.length === 0) return;
    if (this.size + rest.length > this.maxLineBytes + 1) {
      this.drop();
      this.skipping = true;
      out.push({ kind: 'oversize', limit: this.maxLineBytes });
      return;
    }
    // Copy: the caller may reuse its buffer.
    this.parts.push(Buffer.from(rest));
    this.size += rest.length;
  }

  private emitLine(out: SplitItem[]): void {
    let line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) {
      out.push({ kind: 'oversize', limit: this.maxLineBytes });
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(line);
    } catch {
      out.push({ kind: 'badUtf8', bytes: line.length });
      return;
    }
    if (text.trim() === '') return;
    out.push({ kind: 'line', text });
  }

  private drop(): void {
    this.parts = [];
    this.size = 0;
  }
}
