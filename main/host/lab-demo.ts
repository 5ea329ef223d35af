// What the built-in demo profiles need to know of a lab PBX started in this process: the
// TelServices gateway port and, when the O2G front-end runs, its servers and certificate file.
import type { LabO2g } from '../profiles/demo-profile.js';
import type { Lab } from '../simulator/lab.js';

export function demoEndpointsOf(lab: Lab | null): { labPort?: number; labO2g?: LabO2g } {
  if (!lab) return {};
  const labPort = lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port;
  const o2g = lab.o2g;
  const primary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === undefined);
  const secondary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === 'secondary');
  return {
    ...(labPort ? { labPort } : {}),
    ...(o2g && primary
      ? { labO2g: { host: primary.host, port: primary.port, ...(secondary ? { secondaryPort: secondary.port } : {}), caFile: o2g.certificate.file } }
      : {}),
  };
}
