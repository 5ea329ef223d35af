// What the inline prompts accept: a number to dial (consult, divert, transfer, add party), DTMF
// digits, or a transaction code (digits only). Pure, so the rules are tested on their own.
import { Dialable } from '../../shared/commands.js';
import { cleanDialInput } from './dial.js';

export type PromptMode = 'dial' | 'dtmf' | 'code';

const DTMF = /^[0-9*#A-Da-d]{1,64}$/;
/** The contract's transaction code: 1 to 16 digits. */
const CODE = /^[0-9]{1,16}$/;

export type PromptCheck = { ok: true; value: string } | { ok: false; error: string };

export function checkPromptInput(mode: PromptMode, text: string): PromptCheck {
  switch (mode) {
    case 'dial': {
      const value = cleanDialInput(text) || text.trim();
      return Dialable.safeParse(value).success ? { ok: true, value } : { ok: false, error: 'Enter a number, or pick a directory entry' };
    }
    case 'dtmf': {
      const value = text.trim();
      return DTMF.test(value) ? { ok: true, value } : { ok: false, error: 'Use digits, * and # only' };
    }
    case 'code': {
      // Codes are often read out in groups ("12 34"): spaces are not part of them.
      const value = text.replace(/\s+/g, '');
      return CODE.test(value) ? { ok: true, value } : { ok: false, error: 'Use digits only, up to 16' };
    }
  }
}
