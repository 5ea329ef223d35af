// startLab: the lab PBX core, its vendor front-ends and the control API on loopback, as one handle.
import { silentLogger, type Logger } from '../core/log.js';
import { ControlApi, type FrontEndControl } from './control-api.js';
import { DemoTraffic, type DemoOptions } from './demo.js';
import { realClock, type Clock } from './pbx/clock.js';
import type { PbxConfig } from './pbx/config.js';
import { Pbx } from './pbx/pbx.js';
import { defaultPortBase, labPort } from './ports.js';
import type { TelServicesConfig } from './telservices/config.js';
import { TelServicesServer } from './telservices/server.js';

export type LabVendor = 'telservices';

export interface LabConfig {
  pbx: Partial<PbxConfig>;
  telservices: Partial<TelServicesConfig>;
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
}

export interface LabEndpoint {
  vendor: string;
  transport: 'tcp' | 'http' | 'udp' | 'control';
  host: string;
  port: number;
}

export interface Lab {
  endpoints: LabEndpoint[];
  pbx: Pbx;
  control: { host: string; port: number };
  /** The TelServices front-end, when started. */
  telservices?: TelServicesServer;
  demo: DemoTraffic;
  stop(): Promise<void>;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const host = opts.host ?? '127.0.0.1';
  const portBase = opts.portBase ?? defaultPortBase;
  const log = opts.log ?? silentLogger();
  const vendors = opts.vendors ?? ['telservices'];
  const config = opts.config ?? {};
  const pbx = new Pbx(config.pbx ?? {}, { clock: opts.clock ?? realClock(), log });
  const demoOptions = (intervalMs?: number): Partial<DemoOptions> => ({ ...config.demo, ...(intervalMs !== undefined ? { intervalMs } : {}) });
  let demo = new DemoTraffic(pbx, demoOptions(typeof opts.demo === 'object' ? opts.demo.intervalMs : undefined));
  const started: Array<() => Promise<void>> = [];
  const endpoints: LabEndpoint[] = [];
  const frontEnds: FrontEndControl[] = [];
  let telservices: TelServicesServer | undefined;

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
