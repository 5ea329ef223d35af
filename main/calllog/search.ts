// How call-log text search folds case and accents, shared by the writer (column) and the query.

/** Case- and accent-insensitive form: 'Hélène MÜLLER' and 'helene muller' fold alike. */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Separates the fields in the search column, so a needle never matches across two fields. */
const fieldSeparator = '\u001f';

function digitsOnly(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** The indexed text of a row: the number as written and as bare digits, the name, the company. */
export function searchColumn(number: string, name: string | undefined, company: string | undefined): string {
  return [number, digitsOnly(number), name ?? '', company ?? '']
    .map((f) => foldText(f).replaceAll(fieldSeparator, ' '))
    .join(fieldSeparator);
}

export interface SearchNeedles {
  text: string;
  /** Set when the text looks like a formatted number ('01 60 12'): its bare digits. */
  digits: string | null;
}

export function searchNeedles(text: string): SearchNeedles | null {
  const folded = foldText(text.trim()).replaceAll(fieldSeparator, ' ');
  if (!folded) return null;
  const looksLikeNumber = /^[0-9+()./\s-]+$/.test(folded) && /[0-9]/.test(folded);
  const digits = looksLikeNumber ? digitsOnly(folded) : '';
  return { text: folded, digits: digits && digits !== folded ? digits : null };
}
