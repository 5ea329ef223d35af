// The administration contract: a vendor that lets an administrator edit the server's configuration
// (InstantVoice IVWS: agents, their lines and queues, queues, SIP users, permission groups) describes
// its entities as data, so the renderer draws one generic admin view and knows nothing of the vendor.
// Every value is a string (numbers like 0001 keep their zeros); null = the server has none.
import { z } from 'zod';

/** The capability a session advertises (besides its command kinds) when the admin view applies. */
export const ADMIN_CAPABILITY = 'admin';
/** The capability of a session that reports every agent live (the supervisor's team roster). */
export const TEAM_CAPABILITY = 'team';

/** `yesno` values are `yes` / `no` on the bridge whatever the server's own spelling (IVWS lines: 1 / 0);
 *  `secret` values are never sent to the renderer, only set. */
export const adminFieldKinds = ['text', 'integer', 'yesno', 'choice', 'secret'] as const;
export type AdminFieldKind = (typeof adminFieldKinds)[number];

export interface AdminField {
  /** The wire name (e.g. `sl_answeredbefore_1`). */
  name: string;
  label: string;
  kind: AdminFieldKind;
  /** Needed to create a record. */
  required?: boolean;
  /** `choice`: the allowed values. */
  options?: string[];
  /** Shown under the field: the unit, the default, the allowed range. */
  hint?: string;
  /** `create`: only set when the record is created (its key); `never`: read-only (live counters, status). */
  editable?: 'always' | 'create' | 'never';
  /** Shown in the list's columns. */
  listed?: boolean;
}

export interface AdminEntity {
  /** e.g. `agents`, `agentLines`. */
  id: string;
  /** Plural, for the tab: "Agents". */
  label: string;
  /** Singular, for buttons and confirmations: "agent". */
  singular: string;
  /** The field that identifies a record within its parent. */
  keyField: string;
  /** The entity a record belongs to (an agent's lines belong to an agent); records are listed per parent key. */
  parent?: string;
  fields: AdminField[];
  canCreate: boolean;
  canEdit: boolean;
  canDelete: boolean;
  /** What deleting one entails, said in the confirmation (e.g. "the agent's last line cannot be deleted"). */
  deleteWarning?: string;
}

export interface AdminSchema {
  /** What is being administered, e.g. "InstantVoice (IVWS) · account default". */
  title: string;
  entities: AdminEntity[];
}

export interface AdminRecord {
  key: string;
  fields: Record<string, string | null>;
}

const entityId = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, 'an entity name');
const recordKey = z.string().trim().min(1).max(128);
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a field name');

export const AdminListRequest = z.object({ entity: entityId, parentKey: recordKey.optional() }).strict();
export type AdminListRequest = z.infer<typeof AdminListRequest>;

export const AdminGetRequest = z.object({ entity: entityId, key: recordKey, parentKey: recordKey.optional() }).strict();
export type AdminGetRequest = z.infer<typeof AdminGetRequest>;

export const AdminSaveRequest = z
  .object({
    entity: entityId,
    parentKey: recordKey.optional(),
    /** The record's current key; absent = create a new record. */
    key: recordKey.optional(),
    /** Fields to set; a field left out is unchanged. */
    fields: z.record(fieldName, z.string().max(1024)).refine((f) => Object.keys(f).length <= 80, 'at most 80 fields'),
  })
  .strict();
export type AdminSaveRequest = z.infer<typeof AdminSaveRequest>;

export const AdminDeleteRequest = z
  .object({
    entity: entityId,
    key: recordKey,
    parentKey: recordKey.optional(),
    /** The person confirmed the deletion; the bridge refuses a delete without it. */
    confirmed: z.literal(true),
  })
  .strict();
export type AdminDeleteRequest = z.infer<typeof AdminDeleteRequest>;
