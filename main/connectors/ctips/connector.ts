// The CTIPS connector factory. A desktop profile either points at the portals (a private site: the
// app's own callback service and one session, filtered to the agent's own login name unless the
// profile's role is supervisor) or at a site gateway (`cti serve`), which holds the site's one
// portal session for every desktop. `createCtipsSiteConnection` is what the gateway serves from.
import { CtiError } from '../../../shared/commands.js';
import type { Connector, ConnectorDeps } from '../../core/connector.js';
import type { SiteConnection, SiteLinkState, SiteScope } from '../../core/site.js';
import { createGatewayClientConnector } from '../../gateway/client-connector.js';
import { CtipsAgentConnector, ctipsCapabilitiesFor, ctipsExtraCapabilities } from './agent-connector.js';
import { applyRoutingRules } from './routing-rules.js';
import { CtipsSite } from './site.js';

export function createCtipsConnector(deps: ConnectorDeps): Connector {
  const c = deps.profile.connection;
  if (c.vendor !== 'ctips') throw new CtiError('invalid', 'not a CTIPS profile');
  if (c.gateway) {
    return createGatewayClientConnector(deps, { vendor: 'ctips', capabilities: ctipsCapabilitiesFor(c.role), extraCapabilities: ctipsExtraCapabilities(c.role) });
  }
  const login = deps.profile.agentId.trim();
  if (!login) throw new CtiError('invalid', 'a CTIPS profile needs the agent login name (agent id)');
  const site = new CtipsSite(deps, { autoReconnect: false, filters: c.role === 'supervisor' ? [] : [{ fieldType: 'FT_AGENT_ID', value: login }] });
  return new CtipsAgentConnector(site, { login, station: deps.profile.device, role: c.role }, deps, { ownsSite: true });
}

/** The site's one session for a gateway: every agent's events (no filter), reconnecting on its own. */
export function createCtipsSiteConnection(deps: ConnectorDeps): SiteConnection {
  const site = new CtipsSite(deps, { autoReconnect: true, filters: [] });
  const c = deps.profile.connection;
  const rules = c.vendor === 'ctips' ? (c.serve?.routing ?? []) : [];
  if (rules.length > 0) applyRoutingRules(site, rules, deps.log);
  return {
    async start() {
      await site.connect();
      await site.snapshot(true);
    },
    connectorFor: (scope: SiteScope) => new CtipsAgentConnector(site, scope, deps, { ownsSite: false }),
    get link(): SiteLinkState {
      return site.link;
    },
    onLink: (l) => site.onLink(l),
    stop: () => site.stop(),
  };
}
