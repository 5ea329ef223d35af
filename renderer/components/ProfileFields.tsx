// The profile editor's building blocks: a labelled field with its hint and error, a checkbox, and
// the bindings the vendor sections use to edit the draft.
import { useId, type ReactNode } from 'react';
import type { DraftErrors, DraftField, ProfileDraft, SecretErrors, SecretField } from '../profiles/profileDraft.js';

/** Draft fields edited in a plain text input. */
export type TextField = { [K in DraftField]: ProfileDraft[K] extends string ? K : never }[DraftField];
export type SelectField = 'vendor' | 'transport' | 'events' | 'urls' | 'twsApi' | 'twsAuth' | 'twsPbx' | 'ivRole' | 'ctInitialState' | 'ctRole' | 'ctSoapVersion' | 'ctFieldOrder' | 'ctWsAddressing';

interface FieldProps {
  name: DraftField | SecretField;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string; 'data-testid': string }) => ReactNode;
}

export function Field({ name, label, error, hint, children }: FieldProps) {
  const id = `${useId()}-${name}`;
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
        'data-testid': `profile-field-${name}`,
      })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid={`profile-error-${name}`}>
          {error}
        </span>
      )}
    </div>
  );
}

interface CheckProps {
  name: DraftField;
  label: ReactNode;
  checked: boolean;
  onChange(v: boolean): void;
  disabled?: boolean;
  controls?: string;
}

export function Check({ name, label, checked, onChange, disabled, controls }: CheckProps) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        // The region it shows exists only while checked, and aria-controls must name an element that is there.
        aria-controls={checked ? controls : undefined}
        data-testid={`profile-field-${name}`}
      />
      {label}
    </label>
  );
}

/** How a vendor section reads and edits the draft (given by the editor). */
export interface DraftBinding {
  draft: ProfileDraft;
  errors: DraftErrors & SecretErrors;
  set<K extends DraftField>(key: K, value: ProfileDraft[K]): void;
  setDraft(update: (d: ProfileDraft) => ProfileDraft): void;
  text(key: TextField): { className: string; value: string; onChange(e: { target: { value: string } }): void };
  select<K extends SelectField>(key: K): { className: string; value: ProfileDraft[K]; onChange(e: { target: { value: string } }): void };
  /** A write-only secret input, labelled, with its hint. */
  secretField(name: SecretField, label: string, hint: string): ReactNode;
}
