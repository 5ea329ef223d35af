// How parties and numbers read on screen. Numbers are shown as the PBX gave them: leading
// zeros and '+' are significant, so they are never reformatted.
import type { Party } from '../../shared/model.js';

export const WITHHELD = 'Withheld';
export const UNKNOWN_NUMBER = 'Unknown number';

export function displayNumber(party: Pick<Party, 'number' | 'withheld'> | undefined): string {
  if (!party) return UNKNOWN_NUMBER;
  if (party.withheld) return WITHHELD;
  return party.number.trim() || UNKNOWN_NUMBER;
}

/** Headline for a party: the name when known, else the number. */
export function partyTitle(party: Party | undefined): string {
  const name = party?.name?.trim();
  return name || displayNumber(party);
}

/** A number the agent can call back: present and not withheld. */
export function isRedialable(party: Pick<Party, 'number' | 'withheld'> | undefined): boolean {
  return Boolean(party && !party.withheld && party.number.trim());
}
