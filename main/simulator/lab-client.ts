// Helpers for whoever drives the lab PBX from outside (integration and end-to-end tests, the
// benchmarks): a lab on a fixed but free port base, so a restarted lab comes back on the same
// ports, and a small client for its control API.
import { silentLogger } from '../core/log.js';
import { type Lab, type LabOptions, startLab } from './lab.js';

/** Tries random port bases in `from`…`from + 21 000`, bounded, until one is free. */
export async function startLabOnFreePortBase(
  opts: Omit<LabOptions, 'portBase'> = {},
  from = 20000,
): Promise<{ lab: Lab; portBase: number }> {
  for (let i = 0; i < 20; i++) {
    // 30 apart: a lab uses offsets 0–21 (control, TelServices, the O2G pair, TWS, IVWS, the CTIPS pair; see ports.ts).
    const portBase = from + Math.floor(Math.random() * 700) * 30;
    try {
      return { lab: await startLab({ vendors: ['telservices'], demo: false, log: silentLogger(), ...opts, portBase }), portBase };
    } catch {
      // taken: try another base
    }
  }
  throw new Error('no free port base for the lab PBX');
}

export interface ControlReply {
  status: number;
  json: unknown;
}

/** One control-API request; `lab` is read at call time, so a restarted lab is followed. */
export async function callControl(lab: () => Lab, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlReply> {
  const { host, port } = lab().control;
  const res = await fetch(`http://${host}:${port}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}
