// The Maintenance service (L5106–L5305): the system status with its HA pair and licences (admin only) and
// the licence probe (204 present, 403 absent; with or without a session).
import { licences } from './config.js';
import { notAllowed } from './errors.js';
import { ok, type Route, type ServerInfo } from './router.js';
import type { O2gService } from './service.js';

export interface HaInfo {
  ha: boolean;
  primary?: ServerInfo;
  secondary?: ServerInfo;
}

export function systemRoutes(svc: O2gService, ha: () => HaInfo, sessionsInUse: () => number): Route[] {
  const version = `${svc.config.productVersion.major}.${svc.config.productVersion.minor}`;
  const host = (info: ServerInfo | undefined) => (info ? new URL(info.privateBase).host : undefined);
  return [
    {
      method: 'GET',
      path: '/system/status',
      handler: (ctx) => {
        // "This operation is restricted to an admin session only." (L5174)
        if (!ctx.session.admin) throw notAllowed('The system status is restricted to an administrator session');
        const pair = ha();
        const link = svc.pbx.linkUp;
        const url = new URL(ctx.server.privateBase);
        const monitored = svc.users.people().filter((u) => svc.users.monitored(u)).length;
        const used = sessionsInUse();
        return ok({
          logicalAddress: { fqdn: 'localhost', ip: url.hostname.replace(/^\[|\]$/g, '') },
          startDate: new Date(svc.startedAt).toISOString(),
          ha: pair.ha,
          ...(pair.primary ? { primary: host(pair.primary), primaryVersion: version } : {}),
          ...(pair.secondary ? { secondary: host(pair.secondary), secondaryVersion: version } : {}),
          pbxs: [
            {
              name: svc.config.pbxName,
              nodeId: Number(svc.config.nodeId),
              mainAddress: { fqdn: 'oxe-lab.localdomain', ip: '127.0.0.1' },
              version: 'M5.3.2',
              connected: link,
              loaded: true,
              ctiLinkState: link ? 'CONNECTED_MAIN' : 'DISCONNECTED',
              secured: false,
              monitoredUserNumber: monitored,
            },
          ],
          license: {
            lics: licences.map((name) => ({
              name,
              total: name === 'TELEPHONY_ADVANCED' ? svc.config.telephonyAdvancedLicences : 100,
              currentUsed: name === 'TELEPHONY_ADVANCED' ? Math.min(used, svc.config.telephonyAdvancedLicences) : 0,
              expiration: '2099-12-31T23:59:59.000Z',
            })),
          },
          configurationType: 'FULL_SERVICES',
        });
      },
    },
  ];
}

/** GET /system/licenses?lic= — "available out of a session" (L5137): 204 when present, 403 when absent. */
export function licensePresent(_svc: O2gService, lic: string | null): void {
  const installed = new Set<string>([...licences, 'ROXE_API_CLOUD_CONNECTIVITY', 'ROXE_HA']);
  if (!lic || !installed.has(lic)) throw notAllowed(`The license ${lic ?? '(none)'} is not installed`);
}
