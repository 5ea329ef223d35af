// Where a raw-TCP request ends: the root element closes, the end-of-PDU sequence arrives, or EOF.
// The scanner works on bytes (markup is ASCII, UTF-8 continuation bytes never look like '<' or '>'),
// incrementally, so a request split into 1-byte segments costs no rescans.

const LT = 0x3c;
const GT = 0x3e;

export class RootCloseScanner {
  private depth = 0;
  private seenElement = false;
  private inTag = false;
  private tagStart = 0;
  private pos = 0;
  /** Byte offset just after the root's closing tag, once found. */
  completeAt: number | undefined;

  /** Scan `buf` (the whole request so far) from where the last call stopped. */
  scan(buf: Buffer): number | undefined {
    if (this.completeAt !== undefined) return this.completeAt;
    for (; this.pos < buf.length; this.pos++) {
      const b = buf[this.pos];
      if (!this.inTag) {
        if (b === LT) {
          this.inTag = true;
          this.tagStart = this.pos;
        }
        continue;
      }
      if (b !== GT) continue;
      const tag = buf.subarray(this.tagStart + 1, this.pos).toString('latin1');
      if (tag.startsWith('!--') && !tag.endsWith('--')) continue;
      if (tag.startsWith('![CDATA[') && !tag.endsWith(']]')) continue;
      this.inTag = false;
      if (tag.startsWith('?') || tag.startsWith('!')) continue;
      if (tag.startsWith('/')) this.depth--;
      else if (!tag.endsWith('/')) {
        this.depth++;
        this.seenElement = true;
      } else this.seenElement = true;
      // depth < 0: a close with no open (e.g. the manual's "TelServiceRequest>" example); the request is over.
      if ((this.seenElement && this.depth === 0) || this.depth < 0) {
        this.completeAt = this.pos + 1;
        this.pos++;
        return this.completeAt;
      }
    }
    return undefined;
  }
}
