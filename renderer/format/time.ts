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

const DATETIME_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** A datetime-local input's value (yyyy-mm-ddThh:mm, local time) for an epoch ms. */
export function dateTimeInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms of a datetime-local value, or undefined when empty or malformed. */
export function fromDateTimeInput(value: string): number | undefined {
  const m = DATETIME_INPUT.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).getTime();
}

/** The callback presets: in 15 minutes, in an hour (to the next 5 minutes), tomorrow at 9:00. */
export function callbackPresets(now: number): { label: string; at: number }[] {
  const fiveMin = 5 * 60_000;
  const roundUp = (ms: number) => Math.ceil(ms / fiveMin) * fiveMin;
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return [
    { label: 'In 15 min', at: roundUp(now + 15 * 60_000) },
    { label: 'In 1 hour', at: roundUp(now + 60 * 60_000) },
    { label: 'Tomorrow 9:00', at: tomorrow.getTime() },
  ];
}
