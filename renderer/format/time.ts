// Dates for the call log: local time, and the date inputs' yyyy-mm-dd values as epoch ranges.

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Today's calls show the time only; older ones the date too. */
export function formatWhen(ms: number, now: number): string {
  const d = new Date(ms);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? timeFmt.format(d) : dateTimeFmt.format(d);
}

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a yyyy-mm-dd value, or undefined when empty or malformed. */
export function dayStart(value: string): number | undefined {
  const m = DATE_INPUT.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** The last millisecond of a yyyy-mm-dd day, local time. */
export function dayEnd(value: string): number | undefined {
  const m = DATE_INPUT.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1;
}
