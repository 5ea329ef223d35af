// What the built-in demo profiles need to know of a lab PBX started in this process: the
// TelServices gateway port and, when the O2G front-end runs, its servers and certificate file; when
// the TWS front-end runs, its web-service and event-feed ports.
import type { LabO2g, LabTws } from '../profiles/demo-profile.js';
import type { Lab } from '../simulator/lab.js';

export function demoEndpointsOf(lab: Lab | null): { labPort?: number; labO2g?: LabO2g; labTws?: LabTws } {
  if (!lab) return {};
  const labPort = lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port;
  const o2g = lab.o2g;
  const primary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === undefined);
  const secondary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === 'secondary');
  const tws = (transport: string) => lab.endpoints.find((e) => e.vendor === 'tws' && e.transport === transport);
  const [twsHttp, twsTcp, twsWs] = [tws('http'), tws('tcp'), tws('ws')];
  return {
    ...(labPort ? { labPort } : {}),
    ...(twsHttp && twsTcp && twsWs ? { labTws: { host: twsHttp.host, port: twsHttp.port, tcpPort: twsTcp.port, wsPort: twsWs.port } } : {}),
    ...(o2g && primary
      ? { labO2g: { host: primary.host, port: primary.port, ...(secondary ? { secondaryPort: secondary.port } : {}), caFile: o2g.certificate.file } }
      : {}),
  };
}
