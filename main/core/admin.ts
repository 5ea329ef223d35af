// The administration service a vendor may offer besides its session (InstantVoice: IVWS SOAP). The
// desktop routes the bridge's admin.* channels to the active profile's service, if it has one.
import type { AdminDeleteRequest, AdminGetRequest, AdminListRequest, AdminRecord, AdminSaveRequest, AdminSchema } from '../../shared/admin.js';
import type { Profile, ProfileSecret } from '../../shared/profile.js';
import type { Logger } from './log.js';

export interface AdminService {
  schema(): AdminSchema;
  /** Throws CtiError (`invalid` for an unknown entity, `rejected` with the server's reason, …). */
  list(req: AdminListRequest): Promise<AdminRecord[]>;
  get(req: AdminGetRequest): Promise<AdminRecord>;
  /** Creates (no key) or changes a record; resolves with the record as the server now has it. */
  save(req: AdminSaveRequest): Promise<AdminRecord>;
  remove(req: AdminDeleteRequest): Promise<void>;
}

/** Null when the profile gives no administrator role. */
export type AdminServiceFactory = (deps: { profile: Profile; secret: ProfileSecret | null; log: Logger }) => AdminService | null;
