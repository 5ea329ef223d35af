// The admin view's rules, from the schema the vendor sends (shared/admin.ts): which entities get a
// tab and which are listed inside a parent record, the form's values from a record, what may be
// edited, the client-side checks (required, integer, choice, yes/no), the fields a Save sends (only
// what changed; secrets only when typed), a key rename that needs confirming, and the list filter.
// Pure: the component renders what these return.
import type { AdminEntity, AdminField, AdminRecord, AdminSchema } from '../../shared/admin.js';

/** The form as typed: every field's value as a string ('' for none). */
export type AdminFormValues = Record<string, string>;
export type AdminFormErrors = Record<string, string>;

/** The wire values of a yes/no field. */
export const YES = 'yes';
export const NO = 'no';

/** A value the server wrote for a yes/no field, read as yes, no, or neither. */
export function yesNoOf(value: string | null | undefined): 'yes' | 'no' | '' {
  const v = (value ?? '').trim().toLowerCase();
  if (['yes', 'y', '1', 'true', 'on'].includes(v)) return YES;
  if (['no', 'n', '0', 'false', 'off'].includes(v)) return NO;
  return '';
}

/** Entities with their own tab: those not belonging to another. */
export function topEntities(schema: AdminSchema): AdminEntity[] {
  return schema.entities.filter((e) => !e.parent);
}

/** Entities listed inside a record of `parentId` (an agent's lines inside the agent). */
export function childEntities(schema: AdminSchema, parentId: string): AdminEntity[] {
  return schema.entities.filter((e) => e.parent === parentId);
}

/** The list's columns: the fields marked `listed`, or the key field when none is. */
export function listedFields(entity: AdminEntity): AdminField[] {
  const listed = entity.fields.filter((f) => f.listed);
  if (listed.length > 0) return listed;
  const key = entity.fields.find((f) => f.name === entity.keyField);
  return key ? [key] : [];
}

/** Whether a field can be typed in: `never` never, `create` only for a new record; nothing at all when the entity cannot be edited. */
export function isEditable(entity: AdminEntity, field: AdminField, creating: boolean): boolean {
  const when = field.editable ?? 'always';
  if (when === 'never') return false;
  if (creating) return entity.canCreate;
  return when === 'always' && entity.canEdit;
}

/** The form for a record (null = a new one). Secrets are never pre-filled; null is empty. */
export function formFromRecord(entity: AdminEntity, record: AdminRecord | null): AdminFormValues {
  const values: AdminFormValues = {};
  for (const f of entity.fields) {
    if (f.kind === 'secret' || !record) {
      values[f.name] = '';
      continue;
    }
    const v = f.name === entity.keyField ? (record.fields[f.name] ?? record.key) : record.fields[f.name];
    values[f.name] = f.kind === 'yesno' ? yesNoOf(v) || (v ?? '') : (v ?? '');
  }
  return values;
}

/**
 * The fields a Save sends. A new record: every editable field with a value. A record being
 * changed: the editable fields whose value differs from the record's. Secrets go only when typed.
 */
export function changedFields(entity: AdminEntity, initial: AdminFormValues, values: AdminFormValues, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of entity.fields) {
    if (!isEditable(entity, f, creating)) continue;
    const v = values[f.name] ?? '';
    const sent = f.kind === 'secret' ? v : v.trim();
    if (f.kind === 'secret' || creating) {
      if (sent !== '') out[f.name] = sent;
    } else if (sent !== (initial[f.name] ?? '').trim()) {
      out[f.name] = sent;
    }
  }
  return out;
}

const INTEGER = /^-?[0-9]+$/;

/**
 * What the form refuses before sending: a required field empty (when creating; when changing, a
 * required field cleared — a secret left empty keeps the stored one), an integer that is not one,
 * a choice outside its options, a yes/no that is neither. Only editable fields are checked.
 */
export function validateForm(entity: AdminEntity, initial: AdminFormValues, values: AdminFormValues, creating: boolean): AdminFormErrors {
  const errors: AdminFormErrors = {};
  for (const f of entity.fields) {
    if (!isEditable(entity, f, creating)) continue;
    const v = (values[f.name] ?? '').trim();
    if (v === '') {
      const cleared = !creating && f.kind !== 'secret' && (initial[f.name] ?? '').trim() !== '';
      if (f.required && (creating || cleared)) errors[f.name] = 'Required';
      continue;
    }
    if (f.kind === 'integer' && !INTEGER.test(v)) errors[f.name] = 'Enter a whole number';
    else if (f.kind === 'choice' && f.options && !f.options.includes(v)) errors[f.name] = `One of: ${f.options.join(', ')}`;
    else if (f.kind === 'yesno' && v !== YES && v !== NO && v !== (initial[f.name] ?? '')) errors[f.name] = 'Yes or no';
    else if (v.length > 1024) errors[f.name] = 'At most 1024 characters';
  }
  return errors;
}

/** Saving would give the record a new key (its key field is editable and changed): ask first. */
export function keyRename(entity: AdminEntity, record: AdminRecord | null, changed: Record<string, string>): { from: string; to: string } | null {
  if (!record) return null;
  const to = changed[entity.keyField];
  return to !== undefined && to !== record.key ? { from: record.key, to } : null;
}

/** What a record is called in buttons and confirmations: "agent 1001". */
export function recordTitle(entity: AdminEntity, record: AdminRecord): string {
  return `${entity.singular} ${record.key}`;
}

/** The records matching the filter box (the key or any listed field contains the text), ordered by key, numbers as numbers. */
export function filterRecords(entity: AdminEntity, records: readonly AdminRecord[], text: string): AdminRecord[] {
  const q = text.trim().toLowerCase();
  const columns = listedFields(entity);
  return records
    .filter((r) => !q || r.key.toLowerCase().includes(q) || columns.some((f) => f.kind !== 'secret' && (r.fields[f.name] ?? '').toLowerCase().includes(q)))
    .sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
}

/** A listed value as the list shows it: yes/no in words, a secret never, none as a dash. */
export function cellText(field: AdminField, value: string | null | undefined): string {
  if (field.kind === 'secret') return value ? '••••' : '—';
  if (value === null || value === undefined || value === '') return '—';
  if (field.kind === 'yesno') {
    const yn = yesNoOf(value);
    return yn === YES ? 'Yes' : yn === NO ? 'No' : value;
  }
  return value;
}
