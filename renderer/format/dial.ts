// Cleaning up what agents paste into a number field: "tel:+44 (20) 7946-0018;ext=1" → "+442079460018".

const URI_SCHEME = /^\s*(tel|callto|sip|sips):(\/\/)?/i;

export function cleanDialInput(text: string): string {
  let s = text.replace(URI_SCHEME, '');
  // URI parameters (";ext=", ";phone-context=") and SIP hosts ("@pbx") are not part of the number.
  s = s.split(/[;@?]/)[0] ?? '';
  const plus = s.trim().startsWith('+') ? '+' : '';
  return plus + s.replace(/[^0-9*#]/g, '');
}

/** Insert pasted text at the caret, replacing the selection. */
export function insertAt(value: string, start: number, end: number, inserted: string): { value: string; caret: number } {
  return { value: value.slice(0, start) + inserted + value.slice(end), caret: start + inserted.length };
}
