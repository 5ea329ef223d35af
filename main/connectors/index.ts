// The connector registry: one factory per vendor. Vendors without a connector yet are refused
// with a typed error rather than a silent no-op.
import { CtiError } from '../../shared/commands.js';
import type { Vendor } from '../../shared/model.js';
import type { Connector, ConnectorDeps, ConnectorFactory } from '../core/connector.js';
import { createTelServicesConnector } from './telservices/connector.js';

export const connectorFactories: Partial<Record<Vendor, ConnectorFactory>> = {
  telservices: createTelServicesConnector,
};

export function createConnector(deps: ConnectorDeps): Connector {
  const vendor = deps.profile.connection.vendor;
  const factory = connectorFactories[vendor];
  if (!factory) throw new CtiError('unsupported', `no connector for ${vendor} yet`);
  return factory(deps);
}
