// `sim`: start the lab PBX and print one JSON line per listening endpoint, then {"event":"ready"}.
import { parseArgs } from 'node:util';
import { createLogger } from '../core/log.js';
import { brokerAvailable } from '../simulator/instantvoice/broker.js';
import { brokerNeededMessage, instantVoiceBrokerDefaults, startLab, type LabStompBroker } from '../simulator/lab.js';
import { UsageError, parseHostPort, printJsonLine, waitForSignalOrTimeout } from './util.js';

export const simUsage =
  'sim [--vendor telservices,o2g,tws,ctips,instantvoice] [--host 127.0.0.1] [--port-base N|0] [--demo] [--demo-interval MS] [--seconds N]\n' +
  '      [--stomp HOST:PORT] [--stomp-user instantvoice] [--stomp-password sT0MpM3] [--stomp-vhost /]\n' +
  '      (default vendors: telservices,o2g,tws, as before ctips existed, so the default lab keeps its fixture; instantvoice needs a STOMP broker:\n' +
  '      --stomp, or rabbitmq-server installed for a private one)';

const knownVendors = ['telservices', 'o2g', 'tws', 'ctips', 'instantvoice'] as const;
/** Without --vendor: the lab as it always was (ctips adds agent positions on 1102/1103, so it is asked for by name). */
export const defaultSimVendors = ['telservices', 'o2g', 'tws'] as const;
type LabVendor = (typeof knownVendors)[number];

export async function runSim(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      vendor: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'port-base': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-interval': { type: 'string' },
      seconds: { type: 'string' },
      stomp: { type: 'string' },
      'stomp-user': { type: 'string', default: instantVoiceBrokerDefaults.user },
      'stomp-password': { type: 'string', default: instantVoiceBrokerDefaults.password },
      'stomp-vhost': { type: 'string' },
    },
    strict: true,
  });
  const vendors = (values.vendor ? values.vendor.split(',') : [...defaultSimVendors]).map((v) => v.trim());
  for (const v of vendors) {
    if (!(knownVendors as readonly string[]).includes(v)) throw new UsageError(`unknown vendor ${v}; known: ${knownVendors.join(', ')}`);
  }
  const portBase = values['port-base'] === undefined ? undefined : Number(values['port-base']);
  if (portBase !== undefined && !(Number.isInteger(portBase) && portBase >= 0 && portBase < 65500)) {
    throw new UsageError('--port-base takes 0 (free ports) or a port number');
  }
  const stomp: LabStompBroker | undefined = values.stomp
    ? { ...parseHostPort(values.stomp), user: values['stomp-user'], password: values['stomp-password'], ...(values['stomp-vhost'] ? { vhost: values['stomp-vhost'] } : {}) }
    : undefined;
  if (vendors.includes('instantvoice') && !stomp && !brokerAvailable()) {
    console.error(`error: ${brokerNeededMessage}`);
    return 1;
  }
  const interval = values['demo-interval'] ? Number(values['demo-interval']) : undefined;
  const seconds = values.seconds ? Number(values.seconds) : null;
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: process.stderr as never });
  const lab = await startLab({
    vendors: vendors as LabVendor[],
    host: values.host,
    ...(portBase !== undefined ? { portBase } : {}),
    demo: values.demo ? (interval ? { intervalMs: interval } : true) : false,
    log,
    ...(stomp ? { instantvoice: { stomp } } : {}),
  });
  for (const e of lab.endpoints) printJsonLine({ event: 'listening', vendor: e.vendor, transport: e.transport, host: e.host, port: e.port, ...(e.role ? { role: e.role } : {}), ...(e.portal ? { portal: e.portal } : {}) });
  if (lab.o2g) printJsonLine({ event: 'certificate', vendor: 'o2g', file: lab.o2g.certificate.file, sha256: lab.o2g.certificate.sha256 });
  if (lab.tws) printJsonLine({ event: 'certificate', vendor: 'tws', file: lab.tws.certificate.file, sha256: lab.tws.certificate.sha256 });
  if (lab.instantvoice) {
    const b = lab.instantvoice.broker;
    printJsonLine({ event: 'broker', vendor: 'instantvoice', host: b.host, port: b.port, user: b.user, vhost: b.vhost, external: b.external, ...(b.nodeName ? { nodeName: b.nodeName } : {}) });
  }
  printJsonLine({ event: 'ready' });
  await waitForSignalOrTimeout(seconds);
  await lab.stop();
  return 0;
}
