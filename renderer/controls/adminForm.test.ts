import { describe, expect, it } from 'vitest';
import type { AdminEntity, AdminRecord, AdminSchema } from '../../shared/admin.js';
import {
  cellText,
  changedFields,
  childEntities,
  filterRecords,
  formFromRecord,
  isEditable,
  keyRename,
  listedFields,
  recordTitle,
  topEntities,
  validateForm,
  yesNoOf,
} from './adminForm.js';

const agents: AdminEntity = {
  id: 'agents',
  label: 'Agents',
  singular: 'agent',
  keyField: 'agent',
  canCreate: true,
  canEdit: true,
  canDelete: true,
  deleteWarning: 'Its lines are deleted too.',
  fields: [
    { name: 'agent', label: 'Agent number', kind: 'text', required: true, editable: 'create', listed: true },
    { name: 'name', label: 'Name', kind: 'text', required: true, listed: true },
    { name: 'password', label: 'Password', kind: 'secret' },
    { name: 'wrapuptime', label: 'Wrap-up time', kind: 'integer', hint: 'seconds' },
    { name: 'autologoff', label: 'Log off automatically', kind: 'yesno' },
    { name: 'strategy', label: 'Strategy', kind: 'choice', options: ['ringall', 'leastrecent'] },
    { name: 'status', label: 'Status', kind: 'text', editable: 'never', listed: true },
  ],
};

const lines: AdminEntity = {
  id: 'agentLines',
  label: 'Lines',
  singular: 'line',
  keyField: 'queue',
  parent: 'agents',
  canCreate: true,
  canEdit: true,
  canDelete: true,
  fields: [
    { name: 'queue', label: 'Queue', kind: 'text', required: true, editable: 'create' },
    { name: 'penalty', label: 'Penalty', kind: 'integer' },
  ],
};

const queues: AdminEntity = {
  id: 'queues',
  label: 'Queues',
  singular: 'queue',
  keyField: 'name',
  canCreate: false,
  canEdit: true,
  canDelete: false,
  fields: [
    { name: 'name', label: 'Name', kind: 'text', required: true, editable: 'always' },
    { name: 'calls', label: 'Calls waiting', kind: 'integer', editable: 'never' },
  ],
};

const schema: AdminSchema = { title: 'InstantVoice (IVWS) · account default', entities: [agents, lines, queues] };

const ada: AdminRecord = {
  key: '1001',
  fields: { agent: '1001', name: 'Ada', password: null, wrapuptime: '10', autologoff: 'Yes', strategy: 'ringall', status: 'logged on' },
};

describe('admin entities', () => {
  it('top-level ones get a tab, children are listed inside their parent', () => {
    expect(topEntities(schema).map((e) => e.id)).toEqual(['agents', 'queues']);
    expect(childEntities(schema, 'agents').map((e) => e.id)).toEqual(['agentLines']);
    expect(childEntities(schema, 'queues')).toEqual([]);
  });

  it('list the listed fields as columns, or the key when none is', () => {
    expect(listedFields(agents).map((f) => f.name)).toEqual(['agent', 'name', 'status']);
    expect(listedFields(lines).map((f) => f.name)).toEqual(['queue']);
  });
});

describe('admin form', () => {
  it('takes the record’s values; secrets never, null as empty, yes/no normalised', () => {
    expect(formFromRecord(agents, ada)).toEqual({ agent: '1001', name: 'Ada', password: '', wrapuptime: '10', autologoff: 'yes', strategy: 'ringall', status: 'logged on' });
    expect(formFromRecord(agents, { key: '1002', fields: { password: 'secret!' } })).toMatchObject({ agent: '1002', name: '', password: '' });
    expect(Object.values(formFromRecord(agents, null)).every((v) => v === '')).toBe(true);
  });

  it('edits what the schema allows', () => {
    const [agent, name, , , , , status] = agents.fields;
    if (!agent || !name || !status) throw new Error('fields');
    expect([isEditable(agents, agent, true), isEditable(agents, agent, false)]).toEqual([true, false]);
    expect([isEditable(agents, name, true), isEditable(agents, name, false)]).toEqual([true, true]);
    expect([isEditable(agents, status, true), isEditable(agents, status, false)]).toEqual([false, false]);
    expect(isEditable({ ...agents, canEdit: false }, name, false)).toBe(false);
    expect(isEditable({ ...agents, canCreate: false }, name, true)).toBe(false);
  });

  it('a new record sends every editable field with a value (trimmed; a secret as typed)', () => {
    const values = { ...formFromRecord(agents, null), agent: ' 1003 ', name: 'Grace', password: ' pw ', status: 'ignored' };
    expect(changedFields(agents, formFromRecord(agents, null), values, true)).toEqual({ agent: '1003', name: 'Grace', password: ' pw ' });
  });

  it('a change sends only the fields that changed, a secret only when typed, never a read-only or create-only field', () => {
    const initial = formFromRecord(agents, ada);
    expect(changedFields(agents, initial, initial, false)).toEqual({});
    const values = { ...initial, name: 'Ada L.', wrapuptime: ' 10 ', agent: '9999', status: 'x', autologoff: 'no' };
    expect(changedFields(agents, initial, values, false)).toEqual({ name: 'Ada L.', autologoff: 'no' });
    expect(changedFields(agents, initial, { ...initial, password: 'new' }, false)).toEqual({ password: 'new' });
    // Clearing an optional field sends it empty.
    expect(changedFields(agents, initial, { ...initial, wrapuptime: '' }, false)).toEqual({ wrapuptime: '' });
  });

  it('checks required fields when creating, and a required field cleared when changing', () => {
    const empty = formFromRecord(agents, null);
    expect(validateForm(agents, empty, empty, true)).toEqual({ agent: 'Required', name: 'Required' });
    const initial = formFromRecord(agents, ada);
    expect(validateForm(agents, initial, initial, false)).toEqual({});
    expect(validateForm(agents, initial, { ...initial, name: '  ' }, false)).toEqual({ name: 'Required' });
    // A required secret left empty keeps the stored one.
    const withSecret: AdminEntity = { ...agents, fields: agents.fields.map((f) => (f.name === 'password' ? { ...f, required: true } : f)) };
    expect(validateForm(withSecret, initial, initial, false)).toEqual({});
    expect(validateForm(withSecret, empty, { ...empty, agent: '1', name: 'n' }, true)).toEqual({ password: 'Required' });
  });

  it('checks integers, choices and yes/no; read-only fields are not checked', () => {
    const initial = formFromRecord(agents, ada);
    expect(validateForm(agents, initial, { ...initial, wrapuptime: '1.5' }, false)).toEqual({ wrapuptime: 'Enter a whole number' });
    expect(validateForm(agents, initial, { ...initial, wrapuptime: 'ten' }, false)).toEqual({ wrapuptime: 'Enter a whole number' });
    expect(validateForm(agents, initial, { ...initial, wrapuptime: '-3' }, false)).toEqual({});
    expect(validateForm(agents, initial, { ...initial, strategy: 'random' }, false)).toEqual({ strategy: 'One of: ringall, leastrecent' });
    expect(validateForm(agents, initial, { ...initial, autologoff: 'maybe' }, false)).toEqual({ autologoff: 'Yes or no' });
    expect(validateForm(queues, formFromRecord(queues, { key: 'q', fields: { name: 'q', calls: 'n/a' } }), { name: 'q', calls: 'n/a' }, false)).toEqual({});
  });

  it('a changed key that may be edited is a rename to confirm', () => {
    const q: AdminRecord = { key: 'support', fields: { name: 'support', calls: '2' } };
    const initial = formFromRecord(queues, q);
    expect(keyRename(queues, q, changedFields(queues, initial, { ...initial, name: 'helpdesk' }, false))).toEqual({ from: 'support', to: 'helpdesk' });
    expect(keyRename(queues, q, changedFields(queues, initial, initial, false))).toBeNull();
    expect(keyRename(queues, null, { name: 'new' })).toBeNull();
    expect(keyRename(agents, ada, changedFields(agents, formFromRecord(agents, ada), { ...formFromRecord(agents, ada), agent: '2' }, false))).toBeNull();
  });
});

describe('admin list', () => {
  const records: AdminRecord[] = [
    { key: '1010', fields: { agent: '1010', name: 'Grace', status: 'paused', password: 'hidden' } },
    { key: '1002', fields: { agent: '1002', name: 'Ada', status: null } },
    { key: '1001', fields: { agent: '1001', name: 'Linus', status: 'logged on' } },
  ];

  it('orders by key, numbers as numbers', () => {
    expect(filterRecords(agents, records, '').map((r) => r.key)).toEqual(['1001', '1002', '1010']);
  });

  it('filters on the key and the listed fields, case-insensitively, never on a field not listed', () => {
    expect(filterRecords(agents, records, ' ada ').map((r) => r.key)).toEqual(['1002']);
    expect(filterRecords(agents, records, 'LOGGED').map((r) => r.key)).toEqual(['1001']);
    expect(filterRecords(agents, records, '101').map((r) => r.key)).toEqual(['1010']);
    expect(filterRecords(agents, records, 'hidden')).toEqual([]);
  });

  it('shows values as words', () => {
    const [agent, , password, , autologoff] = agents.fields;
    if (!agent || !password || !autologoff) throw new Error('fields');
    expect(cellText(agent, null)).toBe('—');
    expect(cellText(agent, '')).toBe('—');
    expect(cellText(agent, '0001')).toBe('0001');
    expect(cellText(autologoff, 'yes')).toBe('Yes');
    expect(cellText(autologoff, '0')).toBe('No');
    expect(cellText(autologoff, 'sometimes')).toBe('sometimes');
    expect(cellText(password, 'x')).toBe('••••');
    expect(yesNoOf(undefined)).toBe('');
    expect(recordTitle(agents, ada)).toBe('agent 1001');
  });
});
