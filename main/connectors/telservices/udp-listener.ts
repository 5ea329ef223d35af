// UDP event listener: TelServer sends <TelServiceEvent> datagrams to the port given in openSession.
// Only datagrams from the TelServer host are accepted (the manual names no source port, so only
// the address is compared). Datagrams are split into PDUs and decoded; nothing here throws.
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import net from 'node:net';
import { CtiError } from '../../../shared/commands.js';
import type { Logger, TraceFn } from '../../core/log.js';
import { decodeEvent, splitPdus, type TelCodecError, type TelEvent } from './codec.js';
import { excerpt } from './xml-tree.js';

/** The digest's advice (§7 #45): at least 64 KiB so a burst of events is not dropped by the kernel. */
export const UDP_RECEIVE_BUFFER = 256 * 1024;
const MAX_DATAGRAM = 64 * 1024;

export interface UdpListenerOptions {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  /** TelServer's host name or address; resolved once at start. */
  serverHost: string;
  endOfPdu: string | null;
  log: Logger;
  trace: TraceFn;
  onEvent(event: TelEvent): void;
  /** A datagram (or part of one) that did not decode; already logged. */
  onBadPdu?(error: TelCodecError): void;
}

export interface UdpListener {
  readonly port: number;
  close(): Promise<void>;
}

/** '::ffff:127.0.0.1' and '127.0.0.1' are the same sender. */
function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}

async function resolveHost(host: string): Promise<Set<string>> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return new Set([normalizeAddress(bare)]);
  try {
    const all = await dns.lookup(bare, { all: true });
    return new Set(all.map((a) => normalizeAddress(a.address)));
  } catch (err) {
    throw new CtiError('unreachable', `cannot resolve TelServer host ${host}: ${(err as Error).message}`);
  }
}

export async function startUdpListener(opts: UdpListenerOptions): Promise<UdpListener> {
  const allowed = await resolveHost(opts.serverHost);
  const type = net.isIPv6(opts.bindAddress.replace(/^\[(.*)\]$/, '$1')) ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, recvBufferSize: UDP_RECEIVE_BUFFER });

  socket.on('message', (msg, rinfo) => {
    const from = normalizeAddress(rinfo.address);
    if (!allowed.has(from)) {
      opts.log.warn({ from: rinfo.address, port: rinfo.port }, 'TelServices: dropped a datagram from a host that is not TelServer');
      return;
    }
    if (msg.length > MAX_DATAGRAM) {
      opts.log.warn({ bytes: msg.length }, 'TelServices: dropped an oversized datagram');
      return;
    }
    opts.trace('in', 'udp', msg);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(msg);
    } catch {
      const error: TelCodecError = { kind: 'encoding', message: 'datagram is not valid UTF-8' };
      opts.log.warn({ error }, 'TelServices: undecodable event');
      opts.onBadPdu?.(error);
      return;
    }
    for (const pdu of splitPdus(text, opts.endOfPdu)) {
      const decoded = decodeEvent(pdu);
      if (decoded.ok) {
        try {
          opts.onEvent(decoded.value);
        } catch (err) {
          // A listener bug must not kill the socket (or the process).
          opts.log.error({ err, pdu: excerpt(pdu) }, 'TelServices: event handler failed');
        }
      } else {
        opts.log.warn({ error: decoded.error }, 'TelServices: undecodable event');
        opts.onBadPdu?.(decoded.error);
      }
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      socket.close();
      reject(new CtiError('internal', `cannot bind UDP ${opts.bindAddress}:${opts.port}: ${err.message}`));
    };
    socket.once('error', onError);
    socket.bind(opts.port, opts.bindAddress, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  // After binding, errors (e.g. ICMP noise) are logged, never thrown.
  socket.on('error', (err) => opts.log.warn({ err }, 'TelServices: UDP socket error'));

  const port = socket.address().port;
  let closed: Promise<void> | null = null;
  return {
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        try {
          socket.close(() => resolve());
        } catch {
          resolve(); // already closed
        }
      });
      return closed;
    },
  };
}
