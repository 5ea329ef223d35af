// The admin work tab (sessions with the `admin` capability): drawn from the schema the server sends
// (`admin.schema`), so it knows nothing of the vendor. One sub-tab per top-level entity; its records
// in a filterable list; a record's form generated from its fields (only the changed ones are sent,
// secrets only when typed); the entities that belong to it (an agent's lines) listed inside it with
// their own add / edit / delete. Deleting, and renaming a record's key, ask first.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { AdminEntity, AdminField, AdminRecord, AdminSchema } from '../../shared/admin.js';
import {
  cellText,
  changedFields,
  childEntities,
  filterRecords,
  formFromRecord,
  isEditable,
  keyRename,
  listedFields,
  NO,
  recordTitle,
  topEntities,
  validateForm,
  YES,
  type AdminFormErrors,
  type AdminFormValues,
} from '../controls/adminForm.js';
import { useAdminDelete, useAdminList, useAdminRecord, useAdminSave, useAdminSchema } from '../state/queries.js';
import { useToastStore } from '../state/toastStore.js';
import { Modal } from './Modal.js';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

interface FieldInputProps {
  field: AdminField;
  value: string;
  initial: string;
  editable: boolean;
  creating: boolean;
  error: string | undefined;
  onChange(value: string): void;
}

/** One generated field: label (with the required mark), the input its kind calls for, hint and error. */
function FieldInput({ field, value, initial, editable, creating, error, onChange }: FieldInputProps) {
  const id = `${useId()}-${field.name}`;
  const described = [error ? `${id}-error` : '', field.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    className: 'input',
    'aria-invalid': error ? (true as const) : undefined,
    'aria-describedby': described,
    'aria-required': field.required && editable ? true : undefined,
    'data-testid': 'admin-field',
    'data-field': field.name,
  };
  let input;
  if (!editable) {
    input = <input {...common} value={field.kind === 'secret' ? '' : field.kind === 'yesno' ? cellText(field, value) : value} readOnly aria-readonly="true" />;
  } else if (field.kind === 'yesno' || field.kind === 'choice') {
    const options = field.kind === 'yesno' ? [YES, NO] : (field.options ?? []);
    // A value the server has that the options do not list stays selectable, so it is not lost.
    const odd = initial !== '' && !options.includes(initial) ? [initial] : [];
    input = (
      <select {...common} className="input select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{creating || initial === '' ? '— choose —' : '— none —'}</option>
        {[...odd, ...options].map((o) => (
          <option key={o} value={o}>
            {field.kind === 'yesno' ? (o === YES ? 'Yes' : o === NO ? 'No' : o) : o}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type={field.kind === 'secret' ? 'password' : 'text'}
        inputMode={field.kind === 'integer' ? 'numeric' : undefined}
        autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
        spellCheck={false}
        placeholder={field.kind === 'secret' && !creating ? 'unchanged' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {field.label}
        {field.required && editable && (
          <span className="required-mark" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {input}
      {field.hint && (
        <span id={`${id}-hint`} className="hint">
          {field.hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid="admin-field-error" data-field={field.name}>
          {error}
        </span>
      )}
    </div>
  );
}

type Confirm = { kind: 'delete' } | { kind: 'rename'; from: string; to: string; fields: Record<string, string> } | null;

interface RecordFormProps {
  schema: AdminSchema;
  entity: AdminEntity;
  parentKey: string | undefined;
  /** Null: a new record. */
  record: AdminRecord | null;
  onSaved(saved: AdminRecord): void;
  onDeleted(): void;
  onClose(): void;
}

/** A record's form (or a new record's), its Save and Delete, and the entities that belong to it. */
function RecordForm({ schema, entity, parentKey, record, onSaved, onDeleted, onClose }: RecordFormProps) {
  const creating = record === null;
  const [initial, setInitial] = useState<AdminFormValues>(() => formFromRecord(entity, record));
  const [values, setValues] = useState<AdminFormValues>(initial);
  const [errors, setErrors] = useState<AdminFormErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const save = useAdminSave();
  const remove = useAdminDelete();
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  const children = creating ? [] : childEntities(schema, entity.id);
  const changed = changedFields(entity, initial, values, creating);
  const dirty = Object.keys(changed).length > 0;
  const title = record ? capitalized(recordTitle(entity, record)) : `New ${entity.singular}`;

  // The first field to type in gets the focus when the form opens.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([readonly]), select, textarea')?.focus();
  }, []);

  const send = (fields: Record<string, string>) => {
    setServerError(null);
    save.mutate(
      { entity: entity.id, ...(parentKey !== undefined ? { parentKey } : {}), ...(record ? { key: record.key } : {}), fields },
      {
        onSuccess: (saved) => {
          setConfirm(null);
          const next = formFromRecord(entity, saved);
          setInitial(next);
          setValues(next);
          useToastStore.getState().push('info', `${creating ? 'Created' : 'Saved'} ${recordTitle(entity, saved)}.`);
          onSaved(saved);
        },
        // The form keeps what was typed; the server's reason shows next to it.
        onError: (err) => {
          setConfirm(null);
          setServerError(errorText(err));
        },
      },
    );
  };

  const onSubmit = () => {
    const found = validateForm(entity, initial, values, creating);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (!dirty) return;
    const rename = keyRename(entity, record, changed);
    if (rename) setConfirm({ kind: 'rename', ...rename, fields: changed });
    else send(changed);
  };

  const onDelete = () => {
    if (!record) return;
    setServerError(null);
    remove.mutate(
      { entity: entity.id, key: record.key, ...(parentKey !== undefined ? { parentKey } : {}), confirmed: true },
      {
        onSuccess: () => {
          setConfirm(null);
          useToastStore.getState().push('info', `Deleted ${recordTitle(entity, record)}.`);
          onDeleted();
        },
        onError: (err) => {
          setConfirm(null);
          setServerError(errorText(err));
        },
      },
    );
  };

  const onKey = (e: KeyboardEvent<HTMLFormElement>) => {
    // Escape leaves the form, unless a dialog of its own is open (the dialog handles it).
    if (e.key === 'Escape' && !confirm && !dirty) {
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <section className="admin-record" aria-labelledby={headingId} data-testid="admin-record" data-entity={entity.id} data-key={record?.key ?? ''}>
      <form
        ref={formRef}
        noValidate
        onKeyDown={onKey}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h3 id={headingId} className="admin-record-title">
          {title}
        </h3>
        <div className="form-grid">
          {/* A new record has no read-only values (status, counters) yet: those are left out. */}
          {entity.fields.filter((f) => !creating || f.editable !== 'never').map((f) => (
            <FieldInput
              key={f.name}
              field={f}
              value={values[f.name] ?? ''}
              initial={initial[f.name] ?? ''}
              editable={isEditable(entity, f, creating)}
              creating={creating}
              error={errors[f.name]}
              onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
            />
          ))}
        </div>
        {serverError && (
          <p className="field-error admin-error" role="alert" data-testid="admin-error">
            {serverError}
          </p>
        )}
        <div className="admin-actions">
          {(creating ? entity.canCreate : entity.canEdit) && (
            <button type="submit" className="btn btn-primary btn-sm" disabled={save.isPending || (!creating && !dirty)} data-testid="admin-save">
              {save.isPending ? 'Saving…' : creating ? `Create ${entity.singular}` : 'Save'}
            </button>
          )}
          {!creating && entity.canDelete && (
            <button type="button" className="btn btn-sm btn-danger" onClick={() => setConfirm({ kind: 'delete' })} disabled={remove.isPending} data-testid="admin-delete">
              Delete…
            </button>
          )}
          <button type="button" className="btn btn-sm btn-ghost" onClick={onClose} data-testid="admin-close">
            {creating || dirty ? 'Cancel' : 'Close'}
          </button>
        </div>
      </form>

      {children.map((child) => record && <EntityRecords key={child.id} schema={schema} entity={child} parentKey={record.key} nested />)}

      {confirm && record && (
        <Modal title={confirm.kind === 'delete' ? `Delete ${recordTitle(entity, record)}?` : `Rename ${recordTitle(entity, record)}?`} onClose={() => setConfirm(null)} testId="admin-confirm-dialog">
          {confirm.kind === 'delete' ? (
            <>
              <p>
                Delete {entity.singular} <strong>{record.key}</strong>
                {parentKey !== undefined ? ` of ${parentKey}` : ''} on the server? This cannot be undone.
              </p>
              {entity.deleteWarning && (
                <p className="hint field-warning" role="note">
                  {entity.deleteWarning}
                </p>
              )}
            </>
          ) : (
            <p>
              Change the {entity.singular}’s {entity.fields.find((f) => f.name === entity.keyField)?.label.toLowerCase() ?? 'key'} from <strong>{confirm.from}</strong> to{' '}
              <strong>{confirm.to}</strong>? Whatever refers to it by its old name may need changing too.
            </p>
          )}
          <div className="modal-actions">
            <button
              type="button"
              className={`btn ${confirm.kind === 'delete' ? 'btn-danger' : 'btn-primary'}`}
              disabled={remove.isPending || save.isPending}
              onClick={() => (confirm.kind === 'delete' ? onDelete() : send(confirm.fields))}
              data-testid="admin-confirm"
            >
              {confirm.kind === 'delete' ? (remove.isPending ? 'Deleting…' : 'Delete') : save.isPending ? 'Renaming…' : 'Rename'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirm(null)} data-testid="admin-confirm-cancel">
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

/** The record picked in a list: loaded in full with `admin.get` before its form opens. */
function LoadedRecordForm(props: Omit<RecordFormProps, 'record'> & { recordKey: string }) {
  const { recordKey, ...rest } = props;
  const q = useAdminRecord(rest.entity.id, recordKey, rest.parentKey);
  if (q.isPending) return <p className="empty">Loading {rest.entity.singular} {recordKey}…</p>;
  if (q.isError)
    return (
      <p className="field-error" role="alert" data-testid="admin-error">
        Could not load {rest.entity.singular} {recordKey}: {errorText(q.error)}
      </p>
    );
  return <RecordForm {...rest} record={q.data} />;
}

interface EntityRecordsProps {
  schema: AdminSchema;
  entity: AdminEntity;
  parentKey?: string;
  /** Listed inside a parent record (`admin-child-<entity>`). */
  nested?: boolean;
}

/** An entity's records: filter, list, New, and the picked record's form. */
function EntityRecords({ schema, entity, parentKey, nested = false }: EntityRecordsProps) {
  const list = useAdminList(entity.id, parentKey);
  const [text, setText] = useState('');
  /** The record whose form is open; '' = a new one. */
  const [open, setOpen] = useState<string | null>(null);
  const filterId = useId();
  const columns = listedFields(entity);
  const rows = filterRecords(entity, list.data ?? [], text);
  const Heading = nested ? 'h4' : 'h3';

  const close = (key: string | null) => {
    setOpen(null);
    // Back to the row the form was opened from, for the keyboard.
    if (key) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-admin-list="${entity.id}:${parentKey ?? ''}"] [data-key="${CSS.escape(key)}"] button`)?.focus());
  };

  return (
    <section className={`admin-entity${nested ? ' admin-child' : ''}`} aria-label={nested ? `${entity.label} of ${parentKey}` : entity.label} data-testid={nested ? `admin-child-${entity.id}` : 'admin-entity'} data-entity={entity.id}>
      <div className="toolbar admin-toolbar">
        {nested && <Heading className="admin-child-title">{entity.label}</Heading>}
        <label className="visually-hidden" htmlFor={filterId}>
          Filter {entity.label.toLowerCase()}
        </label>
        <input
          id={filterId}
          type="search"
          className="input toolbar-search"
          placeholder={`Filter ${entity.label.toLowerCase()}…`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="admin-filter"
        />
        {entity.canCreate && (
          <button type="button" className="btn btn-sm" onClick={() => setOpen('')} aria-expanded={open === ''} data-testid="admin-new">
            New {entity.singular}
          </button>
        )}
      </div>
      {list.isPending ? (
        <p className="empty">Loading {entity.label.toLowerCase()}…</p>
      ) : list.isError ? (
        <p className="field-error" role="alert" data-testid="admin-error">
          Could not list {entity.label.toLowerCase()}: {errorText(list.error)}
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">{text.trim() ? `No ${entity.label.toLowerCase()} match.` : `No ${entity.label.toLowerCase()}.`}</p>
      ) : (
        <div className="table-wrap admin-table-wrap">
          <table className="table admin-table" data-admin-list={`${entity.id}:${parentKey ?? ''}`}>
            <caption className="visually-hidden">
              {entity.label}
              {parentKey !== undefined ? ` of ${parentKey}` : ''}: {rows.length}
            </caption>
            <thead>
              <tr>
                {columns.map((f) => (
                  <th key={f.name} scope="col">
                    {f.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className={open === r.key ? 'row-selected' : undefined} data-testid="admin-row" data-key={r.key}>
                  {columns.map((f, i) => (
                    <td key={f.name} className={f.kind === 'integer' ? 'num' : undefined}>
                      {i === 0 ? (
                        // The first cell opens the record: one button per row for the keyboard.
                        <button type="button" className="link-button" onClick={() => setOpen(r.key)} aria-label={`Open ${recordTitle(entity, r)}`}>
                          {cellText(f, f.name === entity.keyField ? (r.fields[f.name] ?? r.key) : r.fields[f.name])}
                        </button>
                      ) : (
                        cellText(f, r.fields[f.name])
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open === '' && (
        <RecordForm
          key={`new:${entity.id}`}
          schema={schema}
          entity={entity}
          parentKey={parentKey}
          record={null}
          onSaved={(saved) => setOpen(saved.key)}
          onDeleted={() => setOpen(null)}
          onClose={() => close(null)}
        />
      )}
      {open !== null && open !== '' && (
        <LoadedRecordForm
          key={`${entity.id}:${open}`}
          schema={schema}
          entity={entity}
          parentKey={parentKey}
          recordKey={open}
          onSaved={(saved) => setOpen(saved.key)}
          onDeleted={() => setOpen(null)}
          onClose={() => close(open)}
        />
      )}
    </section>
  );
}

/** The Admin tab's content. */
export function AdminView() {
  const schema = useAdminSchema();
  const [picked, setPicked] = useState<string | null>(null);

  if (schema.isPending) return <p className="empty">Loading the administration…</p>;
  if (schema.isError)
    return (
      <p className="field-error" role="alert" data-testid="admin-error">
        The administration is not available: {errorText(schema.error)}
      </p>
    );
  const tops = topEntities(schema.data);
  const current = tops.find((e) => e.id === picked) ?? tops[0];
  if (!current) return <p className="empty">The server offers nothing to administer.</p>;

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = tops.findIndex((t) => t.id === current.id);
    const next = tops[(at + (e.key === 'ArrowRight' ? 1 : tops.length - 1)) % tops.length];
    if (!next) return;
    setPicked(next.id);
    document.getElementById(`admin-entity-tab-${next.id}`)?.focus();
  };

  return (
    <div className="admin-view" data-testid="admin-view">
      <p className="hint admin-title">{schema.data.title}</p>
      <div className="tabs admin-tabs" role="tablist" aria-label="What to administer" onKeyDown={onKey}>
        {tops.map((e) => (
          <button
            key={e.id}
            id={`admin-entity-tab-${e.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={e.id === current.id}
            aria-controls={`admin-entity-panel-${e.id}`}
            tabIndex={e.id === current.id ? 0 : -1}
            onClick={() => setPicked(e.id)}
            data-testid="admin-entity-tab"
            data-entity={e.id}
          >
            {e.label}
          </button>
        ))}
      </div>
      <div id={`admin-entity-panel-${current.id}`} role="tabpanel" aria-labelledby={`admin-entity-tab-${current.id}`}>
        <EntityRecords key={current.id} schema={schema.data} entity={current} />
      </div>
    </div>
  );
}
