// The text of a codec error, shared by the XML codecs (TelServices, TWS): the message, and a
// short printable excerpt of the input that failed.

const EXCERPT_CHARS = 80;

/** A short, printable excerpt of the input for error messages and logs. */
export function excerpt(text: string): string {
  // Control characters would garble log lines; show them as '?'.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?').replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** A codec error of a codec's own kind; the input, when given, is quoted as an excerpt. */
export function makeCodecError<K extends string>(kind: K, message: string, input?: string): { kind: K; message: string } {
  return { kind, message: input === undefined ? message : `${message} (input: "${excerpt(input)}")` };
}
