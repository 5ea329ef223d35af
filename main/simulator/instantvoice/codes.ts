// The guide's return codes (digest §6), the lab's own table.
export const IV = {
  OK: 0,
  MISSING_ARGS: 1,
  NO_MEMORY: 2,
  NOT_FOUND: 3,
  DUPLICATE: 4,
  INVALID: 5,
  NOTEMPTY: 6,
  ITEM_FULL: 7,
  ITEM_EMPTY: 8,
  UNAUTHORIZED: 9,
  NOT_ALLOWED: 10,
  DISABLED: 11,
  NO_LICENSE: 12,
  UNDEFINED: 1000,
  INTERNAL_ERROR: 9999,
  DAC_OFFLINE: -1,
} as const;

const names: Record<number, string> = {
  1: 'RESPONSE_MISSING_ARGS',
  2: 'RESPONSE_NO_MEMORY',
  3: 'RESPONSE_NOT_FOUND',
  4: 'RESPONSE_DUPLICATE',
  5: 'RESPONSE_INVALID',
  6: 'RESPONSE_NOTEMPTY',
  7: 'RESPONSE_ITEM_FULL',
  8: 'RESPONSE_ITEM_EMPTY',
  9: 'RESPONSE_UNAUTHORIZED',
  10: 'RESPONSE_NOT_ALLOWED',
  11: 'RESPONSE_DISABLED',
  12: 'RESPONSE_NO_LICENSE',
  1000: 'RESPONSE_UNDEFINED',
  9999: 'RESPONSE_INTERNAL_ERROR',
  [-1]: 'DAC_OFFLINE',
};

export function codeName(code: number): string {
  return names[code] ?? `CODE_${code}`;
}
