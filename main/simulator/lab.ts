// startLab: the lab PBX core, its vendor front-ends and the control API on loopback, as one handle.
import { silentLogger, type Logger } from '../core/log.js';
import { ControlApi, type FrontEndControl } from './control-api.js';
import { DemoTraffic, type DemoOptions } from './demo.js';
import { realClock, type Clock } from './pbx/clock.js';
import type { O2gConfig } from './o2g/config.js';
import { O2gFrontEnd } from './o2g/front-end.js';
import type { O2gServer } from './o2g/server.js';
import { pbxConfig, type PbxConfig } from './pbx/config.js';
import { Pbx } from './pbx/pbx.js';
import { defaultPortBase, labPort } from './ports.js';
import type { TelServicesConfig } from './telservices/config.js';
import { TelServicesServer } from './telservices/server.js';
import type { TwsConfig } from './tws/config.js';
import { TwsFrontEnd } from './tws/front-end.js';
import { brokerAvailable, startPrivateBroker, type PrivateBroker } from './instantvoice/broker.js';
import type { InstantVoiceConfig } from './instantvoice/config.js';
import { InstantVoiceFrontEnd, type IvBrokerInfo } from './instantvoice/front-end.js';
import { withCtipsAgents, type CtipsConfig } from './ctips/config.js';
import { CtipsFrontEnd } from './ctips/front-end.js';

export type LabVendor = 'telservices' | 'o2g' | 'tws' | 'instantvoice' | 'ctips';

/** The guide's broker login (ivstomp.username / ivstomp.password). */
export const instantVoiceBrokerDefaults = { user: 'instantvoice', password: 'sT0MpM3' } as const;

export const brokerNeededMessage = 'a STOMP broker is needed: install rabbitmq-server or pass --stomp HOST:PORT';

export interface LabStompBroker {
  host: string;
  port: number;
  user: string;
  password: string;
  vhost?: string;
}

export interface LabConfig {
  pbx: Partial<PbxConfig>;
  telservices: Partial<TelServicesConfig>;
  o2g: Partial<O2gConfig>;
  tws: Partial<TwsConfig>;
  instantvoice: Partial<InstantVoiceConfig>;
  /** Both CTIPS portals of the pair. */
  ctips: Partial<CtipsConfig>;
  demo: Partial<DemoOptions>;
}

export interface LabOptions {
  vendors?: LabVendor[];
  host?: string;
  /** Base of the fixed ports (default 5070, see ports.ts); 0 picks free ports for everything. */
  portBase?: number;
  demo?: boolean | { intervalMs: number };
  log?: Logger;
  config?: Partial<LabConfig>;
  /** Injectable clock for the core (tests); defaults to the wall clock. */
  clock?: Clock;
  /** InstantVoice: attach the ACD to this STOMP broker; otherwise the lab starts a private RabbitMQ (when installed). */
  instantvoice?: { stomp?: LabStompBroker; /** The ACD's first broker connection must succeed within this (ms; default 15 s). */ connectTimeoutMs?: number };
}

export interface LabEndpoint {
  vendor: string;
  transport: 'tcp' | 'http' | 'https' | 'udp' | 'ws' | 'wss' | 'control' | 'stomp' | 'soap';
  host: string;
  port: number;
  /** The second server of a high-availability pair (O2G). */
  role?: 'secondary';
  /** Which portal of the CTIPS Active/Active pair (its control routes are under /ctips/a and /ctips/b). */
  portal?: 'a' | 'b';
}

/** The O2G (and TWS) servers' TLS certificate: trust `pem` (or the file, e.g. NODE_EXTRA_CA_CERTS) or pin `sha256`. */
export interface LabCertificateInfo {
  pem: string;
  file: string;
  /** SHA-256 of the DER, colon-separated upper-case hex (as `openssl x509 -fingerprint -sha256`). */
  sha256: string;
}

export interface Lab {
  endpoints: LabEndpoint[];
  pbx: Pbx;
  control: { host: string; port: number };
  /** The TelServices front-end, when started. */
  telservices?: TelServicesServer;
  /** The O2G front-end (both servers of the HA pair, its services), when started. */
  o2g?: { frontEnd: O2gFrontEnd; primary: O2gServer; secondary?: O2gServer; certificate: LabCertificateInfo };
  /** The TWS Toolkit front-end (web services, TCP, WS and WSS feeds), when started. */
  tws?: { frontEnd: TwsFrontEnd; certificate: LabCertificateInfo };
  /** The InstantVoice ACD (a STOMP client of `broker`) and its IVWS SOAP service, when started. */
  instantvoice?: { acd: InstantVoiceFrontEnd; broker: IvBrokerInfo; ivws: { host: string; port: number } };
  /** The CTIPS portals A and B (one platform model, Active/Active), when started. */
  ctips?: CtipsFrontEnd;
  demo: DemoTraffic;
  stop(): Promise<void>;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const host = opts.host ?? '127.0.0.1';
  const portBase = opts.portBase ?? defaultPortBase;
  const log = opts.log ?? silentLogger();
  const vendors = opts.vendors ?? ['telservices'];
  const config = opts.config ?? {};
  // The O2G users' devices, the CCD pilot and PG join the default fixture only when O2G runs; TWS's likewise;
  // CTIPS adds agent positions on 1102 and 1103 (its agents agent1101–agent1103).
  const fixture = pbxConfig({}, { o2g: vendors.includes('o2g'), tws: vendors.includes('tws'), instantvoice: vendors.includes('instantvoice') });
  const pbx = new Pbx({ ...(vendors.includes('ctips') ? withCtipsAgents(fixture) : fixture), ...config.pbx }, { clock: opts.clock ?? realClock(), log });
  const demoOptions = (intervalMs?: number): Partial<DemoOptions> => ({ ...config.demo, ...(intervalMs !== undefined ? { intervalMs } : {}) });
  let demo = new DemoTraffic(pbx, demoOptions(typeof opts.demo === 'object' ? opts.demo.intervalMs : undefined));
  const started: Array<() => Promise<void>> = [];
  const endpoints: LabEndpoint[] = [];
  const frontEnds: FrontEndControl[] = [];
  let telservices: TelServicesServer | undefined;
  let o2g: Lab['o2g'];
  let tws: Lab['tws'];
  let instantvoice: Lab['instantvoice'];
  let ctips: CtipsFrontEnd | undefined;

  const stopAll = async () => {
    demo.stop();
    for (const stop of started.reverse()) await stop().catch((err: unknown) => log.warn({ err }, 'lab: stop failed'));
    pbx.dispose();
  };

  try {
    if (vendors.includes('telservices')) {
      const server = new TelServicesServer(pbx, { host, port: labPort(portBase, 'telservices'), config: config.telservices, log: log.child({ vendor: 'telservices' }) });
      await server.start();
      started.push(() => server.stop());
      telservices = server;
      endpoints.push(
        { vendor: 'telservices', transport: 'tcp', host, port: server.port },
        { vendor: 'telservices', transport: 'http', host, port: server.port },
        { vendor: 'telservices', transport: 'udp', host, port: server.eventSourcePort },
      );
      frontEnds.push({
        vendor: 'telservices',
        dropClients: () => server.dropClients(),
        adminClose: (device) => server.service.adminClose(device),
        reset: () => server.service.resetViews(),
      });
    }
    if (vendors.includes('o2g')) {
      const fe = await O2gFrontEnd.start(pbx, {
        host,
        ports: {
          primary: labPort(portBase, 'o2g'),
          secondary: labPort(portBase, 'o2gSecondary'),
          httpPrimary: labPort(portBase, 'o2gHttp'),
          httpSecondary: labPort(portBase, 'o2gHttpSecondary'),
        },
        config: config.o2g,
        log: log.child({ vendor: 'o2g' }),
      });
      started.push(() => fe.stop());
      o2g = {
        frontEnd: fe,
        primary: fe.primary,
        ...(fe.secondary ? { secondary: fe.secondary } : {}),
        certificate: { pem: fe.certificate.pem, file: fe.certificateFile, sha256: fe.certificate.sha256 },
      };
      for (const s of fe.servers()) {
        const role = s.role === 'secondary' ? { role: 'secondary' as const } : {};
        endpoints.push({ vendor: 'o2g', transport: 'https', host, port: s.port, ...role });
        if (s.httpPort !== undefined) endpoints.push({ vendor: 'o2g', transport: 'http', host, port: s.httpPort, ...role });
      }
      frontEnds.push(fe.control());
    }
    if (vendors.includes('tws')) {
      const fe = await TwsFrontEnd.start(pbx, {
        host,
        ports: {
          http: labPort(portBase, 'twsHttp'),
          https: labPort(portBase, 'twsHttps'),
          tcp: labPort(portBase, 'twsTcp'),
          ws: labPort(portBase, 'twsWs'),
          wss: labPort(portBase, 'twsWss'),
        },
        config: config.tws,
        log: log.child({ vendor: 'tws' }),
      });
      started.push(() => fe.stop());
      tws = { frontEnd: fe, certificate: { pem: fe.certificate.pem, file: fe.certificateFile, sha256: fe.certificate.sha256 } };
      endpoints.push(
        { vendor: 'tws', transport: 'http', host, port: fe.ports.http },
        { vendor: 'tws', transport: 'https', host, port: fe.ports.https },
        { vendor: 'tws', transport: 'tcp', host, port: fe.ports.tcp },
        { vendor: 'tws', transport: 'ws', host, port: fe.ports.ws },
        { vendor: 'tws', transport: 'wss', host, port: fe.ports.wss },
      );
      frontEnds.push(fe.control());
    }
    if (vendors.includes('instantvoice')) {
      const given = opts.instantvoice?.stomp;
      let broker: IvBrokerInfo;
      let privateBroker: PrivateBroker | undefined;
      if (given) {
        broker = { host: given.host, port: given.port, user: given.user, password: given.password, vhost: given.vhost ?? '/', external: true };
      } else {
        if (!brokerAvailable()) throw new Error(brokerNeededMessage);
        const pb = await startPrivateBroker({ user: instantVoiceBrokerDefaults.user, password: instantVoiceBrokerDefaults.password });
        privateBroker = pb;
        started.push(() => pb.stop());
        broker = { host: pb.host, port: pb.stompPort, user: pb.user, password: pb.password, vhost: pb.vhost, external: false, nodeName: pb.nodeName };
      }
      const fe = await InstantVoiceFrontEnd.start(pbx, {
        host,
        ivwsPort: labPort(portBase, 'ivws'),
        broker,
        ...(privateBroker ? { closeBrokerConnections: () => (privateBroker as PrivateBroker).closeConnections() } : {}),
        config: config.instantvoice,
        log: log.child({ vendor: 'instantvoice' }),
        ...(opts.instantvoice?.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.instantvoice.connectTimeoutMs } : {}),
      });
      started.push(() => fe.stop());
      instantvoice = { acd: fe, broker, ivws: fe.ivwsEndpoint };
      endpoints.push(
        { vendor: 'instantvoice', transport: 'stomp', host: broker.host, port: broker.port },
        { vendor: 'instantvoice', transport: 'soap', host, port: fe.ivwsEndpoint.port },
      );
      frontEnds.push(fe.control());
    }
    if (vendors.includes('ctips')) {
      const fe = await CtipsFrontEnd.start(pbx, {
        host,
        ports: { a: labPort(portBase, 'ctips'), b: labPort(portBase, 'ctipsB') },
        ...(config.ctips ? { config: config.ctips } : {}),
        log: log.child({ vendor: 'ctips' }),
      });
      started.push(() => fe.stop());
      ctips = fe;
      for (const { name, portal } of fe.portals()) endpoints.push({ vendor: 'ctips', transport: 'soap', host, port: portal.port, portal: name });
      frontEnds.push(fe.control());
    }
    const control = new ControlApi(
      {
        pbx,
        frontEnds,
        get demo() {
          return demo;
        },
        restartDemo: (intervalMs) => {
          demo.stop();
          demo = new DemoTraffic(pbx, demoOptions(intervalMs));
          demo.start();
        },
      },
      log.child({ component: 'control' }),
    );
    await control.listen(host, labPort(portBase, 'control'));
    started.push(() => control.close());
    endpoints.push({ vendor: 'lab', transport: 'control', host, port: control.port });
    if (opts.demo) demo.start();
    log.info({ endpoints }, 'lab PBX started');
    return {
      endpoints,
      pbx,
      control: { host, port: control.port },
      telservices,
      ...(o2g ? { o2g } : {}),
      ...(tws ? { tws } : {}),
      ...(instantvoice ? { instantvoice } : {}),
      ...(ctips ? { ctips } : {}),
      get demo() {
        return demo;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
