// tel: and callto: links from the OS (click-to-dial). Only a dialable number survives.
export function dialableFromLink(arg: string): string | null {
  const m = /^(tel|callto):(?:\/\/)?([^?;]*)/i.exec(arg.trim());
  if (!m?.[2]) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  const number = raw.replace(/[\s().\-/]/g, '');
  return /^\+?[0-9*#]{1,32}$/.test(number) ? number : null;
}
