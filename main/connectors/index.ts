// The connector registry: one factory per vendor. Vendors without a connector yet are refused
// with a typed error rather than a silent no-op.
import type { ServerLogin } from '../../shared/bridge.js';
import { CtiError } from '../../shared/commands.js';
import type { Vendor } from '../../shared/model.js';
import type { Profile } from '../../shared/profile.js';
import type { AdminServiceFactory } from '../core/admin.js';
import type { Connector, ConnectorDeps, ConnectorFactory } from '../core/connector.js';
import type { Logger } from '../core/log.js';
import type { SiteConnectionFactory } from '../core/site.js';
import { createCtipsConnector, createCtipsSiteConnection } from './ctips/connector.js';
import { createInstantVoiceAdmin } from './instantvoice/admin.js';
import { createInstantVoiceConnector } from './instantvoice/connector.js';
import { listO2gLogins } from './o2g/admin.js';
import { createO2gConnector } from './o2g/connector.js';
import { createTelServicesConnector } from './telservices/connector.js';
import { createTwsConnector } from './tws/connector.js';

export const connectorFactories: Partial<Record<Vendor, ConnectorFactory>> = {
  telservices: createTelServicesConnector,
  o2g: (deps) => createO2gConnector(deps),
  tws: (deps) => createTwsConnector(deps),
  instantvoice: (deps) => createInstantVoiceConnector(deps),
  ctips: (deps) => createCtipsConnector(deps),
};

/** Admin: list a server's logins with an administrator account, per vendor that can. */
export type AdminLoginLister = (profile: Profile, admin: { login: string; password: string }, log: Logger) => Promise<ServerLogin[]>;
export const adminLoginListers: Partial<Record<Vendor, AdminLoginLister>> = {
  o2g: listO2gLogins,
};

/** Admin: the server-configuration service of a vendor that has one (shown in the admin view). */
export const adminServiceFactories: Partial<Record<Vendor, AdminServiceFactory>> = {
  instantvoice: createInstantVoiceAdmin,
};

/** Vendors whose one session can serve a whole site through `cti serve` (a gateway). */
export const siteConnectionFactories: Partial<Record<Vendor, SiteConnectionFactory>> = {
  ctips: createCtipsSiteConnection,
};

export function createConnector(deps: ConnectorDeps): Connector {
  const vendor = deps.profile.connection.vendor;
  const factory = connectorFactories[vendor];
  if (!factory) throw new CtiError('unsupported', `no connector for ${vendor} yet`);
  return factory(deps);
}
