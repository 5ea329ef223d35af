// The gateway as a routing application: the profile's routing rules answer the portal's route
// requests (first match wins; no match → the platform's default route at once, so the caller does
// not wait the RouteTimeout out). `readyAgent` picks, among the agents of a service who are Idle
// now, the one who has been Idle the longest (the site model's `since`); none → default.
import type { RoutingRule } from '../../../shared/profile.js';
import type { Logger } from '../../core/log.js';
import type { RouteRequestInfo, RouteTarget } from './routing.js';
import type { CtipsSite } from './site.js';
import type { CtipsSiteModel } from './site-model.js';

export function ruleMatches(rule: RoutingRule, r: RouteRequestInfo): boolean {
  if (rule.dnis !== undefined && rule.dnis !== r.dnis) return false;
  if (rule.aniPrefix !== undefined && !r.ani.startsWith(rule.aniPrefix)) return false;
  if (rule.serviceId !== undefined && rule.serviceId !== r.serviceId) return false;
  for (const [k, v] of Object.entries(rule.data ?? {})) if (r.callData[k] !== v) return false;
  return true;
}

/** Where the rules send a request, given the site's agents now. */
export function routeFor(rules: readonly RoutingRule[], r: RouteRequestInfo, model: CtipsSiteModel): { target: RouteTarget; rule: number } {
  const i = rules.findIndex((rule) => ruleMatches(rule, r));
  const rule = rules[i];
  if (!rule) return { target: { to: 'default' }, rule: -1 };
  switch (rule.route) {
    case 'agent':
      return { target: { to: 'agent', login: rule.to }, rule: i };
    case 'service':
      return { target: { to: 'service', serviceId: Number(rule.to) }, rule: i };
    case 'external':
      return { target: { to: 'external', number: rule.to }, rule: i };
    case 'default':
      return { target: { to: 'default' }, rule: i };
    case 'readyAgent': {
      const service = Number(rule.to);
      const ready = [...model.agents.values()].filter((a) => a.state === 'Idle' && a.services.includes(service)).sort((a, b) => a.since - b.since)[0];
      return { target: ready ? { to: 'agent', login: ready.login } : { to: 'default' }, rule: i };
    }
  }
}

/** Answer every route request of the site with the rules; returns the unsubscribe. */
export function applyRoutingRules(site: CtipsSite, rules: readonly RoutingRule[], log: Logger): () => void {
  return site.onRouteRequest((r) => {
    const { target, rule } = routeFor(rules, r, site.model);
    site.routeSelect(r.callId, target).then(
      (outcome) => log.info({ callId: r.callId, rule, target, outcome }, 'ctips: call routed'),
      (err: unknown) => log.warn({ callId: r.callId, rule, target, err: err instanceof Error ? err.message : String(err) }, 'ctips: route selection refused'),
    );
  });
}
