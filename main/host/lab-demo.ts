// What the built-in demo profiles need to know of a lab PBX started in this process: the
// TelServices gateway port and, when the O2G front-end runs, its servers and certificate file; when
// the TWS front-end runs, its web-service and event-feed ports; the CTIPS portal pair's ports.
import type { Logger } from '../core/log.js';
import type { LabCtips, LabInstantVoice, LabO2g, LabTws } from '../profiles/demo-profile.js';
import { brokerAvailable } from '../simulator/instantvoice/broker.js';
import { type Lab, type LabVendor, startLab } from '../simulator/lab.js';

/** The lab PBX front-ends a host runs, one built-in demo profile each; InstantVoice also needs a STOMP broker. */
export const demoLabVendors: LabVendor[] = ['telservices', 'o2g', 'tws', 'ctips'];

export interface DemoLabOptions {
  demo: boolean;
  log: Logger;
  /** Run the InstantVoice ACD too, when a broker is given or RabbitMQ is installed. */
  instantvoice: boolean;
  /** An already running broker for the ACD (otherwise a private RabbitMQ is started). */
  stomp?: { host: string; port: number; user: string; password: string };
  /** Free ports from the start (the Electron shell); otherwise the fixed ones, moving to free ones when busy. */
  freePorts?: boolean;
  /** One line for the person who started the app. */
  say(line: string): void;
}

/**
 * The lab with every front-end the machine can run. If the InstantVoice part cannot start (no
 * broker, a broker that refuses), the rest runs without it and says why in one line.
 */
export async function startDemoLab(opts: DemoLabOptions): Promise<Lab> {
  const { stomp } = opts;
  const withIv = opts.instantvoice && (stomp !== undefined || brokerAvailable());
  const attempt = (vendors: LabVendor[], portBase?: number) =>
    startLab({ vendors, demo: opts.demo, log: opts.log, ...(stomp ? { instantvoice: { stomp } } : {}), ...(portBase !== undefined ? { portBase } : {}) });
  const start = async (vendors: LabVendor[]) =>
    opts.freePorts
      ? attempt(vendors, 0)
      : attempt(vendors).catch((err: unknown) => {
          opts.say(`The lab PBX's default ports are busy (${(err as Error).message}); using free ports.`);
          return attempt(vendors, 0);
        });
  if (!withIv) {
    if (opts.instantvoice) opts.say('InstantVoice demo off: it needs a STOMP broker (install rabbitmq-server, or pass --stomp HOST:PORT).');
    return start(demoLabVendors);
  }
  if (!stomp) opts.say('Starting a private RabbitMQ for the InstantVoice demo (a few seconds)...');
  try {
    return await start([...demoLabVendors, 'instantvoice']);
  } catch (err) {
    opts.say(`InstantVoice demo off: ${(err as Error).message}`);
    return start(demoLabVendors);
  }
}

export function demoEndpointsOf(lab: Lab | null): { labPort?: number; labO2g?: LabO2g; labTws?: LabTws; labInstantVoice?: LabInstantVoice; labCtips?: LabCtips } {
  if (!lab) return {};
  const labPort = lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port;
  const o2g = lab.o2g;
  const primary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === undefined);
  const secondary = lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === 'secondary');
  const tws = (transport: string) => lab.endpoints.find((e) => e.vendor === 'tws' && e.transport === transport);
  const [twsHttp, twsTcp, twsWs] = [tws('http'), tws('tcp'), tws('ws')];
  const iv = lab.instantvoice;
  const ctips = lab.endpoints.filter((e) => e.vendor === 'ctips' && e.transport === 'soap').sort((a, b) => (a.portal ?? '').localeCompare(b.portal ?? ''));
  return {
    ...(ctips[0] ? { labCtips: { host: ctips[0].host, ports: ctips.map((e) => e.port) } } : {}),
    ...(labPort ? { labPort } : {}),
    ...(iv
      ? {
          labInstantVoice: {
            host: iv.broker.host,
            stompPort: iv.broker.port,
            brokerUser: iv.broker.user,
            brokerPassword: iv.broker.password,
            vhost: iv.broker.vhost,
            ivwsHost: iv.ivws.host,
            ivwsPort: iv.ivws.port,
          },
        }
      : {}),
    ...(twsHttp && twsTcp && twsWs ? { labTws: { host: twsHttp.host, port: twsHttp.port, tcpPort: twsTcp.port, wsPort: twsWs.port } } : {}),
    ...(o2g && primary
      ? { labO2g: { host: primary.host, port: primary.port, ...(secondary ? { secondaryPort: secondary.port } : {}), caFile: o2g.certificate.file } }
      : {}),
  };
}
