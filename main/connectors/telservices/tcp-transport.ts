// TelServices over raw TCP: one request per connection (manual L31). Connect, write the request
// (+ end-of-PDU), optionally half-close, and read the reply until EOF, the end-of-PDU sequence, or
// the close of the root element, whichever comes first. Errors are CtiErrors.
import net from 'node:net';
import { CtiError } from '../../../shared/commands.js';
import { DEFAULT_MAX_BYTES, excerpt, findRootEnd } from './xml-tree.js';

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  endOfPdu: string | null;
  /** Send FIN after the request so a server that reads to EOF sees its end. */
  halfClose: boolean;
  maxReplyBytes?: number;
}

export interface RequestOptions {
  /** Overrides the reply timeout for this request. */
  replyTimeoutMs?: number;
  /** Abandons the request (a long-poll on stop()); it rejects with 'notConnected'. */
  signal?: AbortSignal;
}

export function abortedError(where: string): CtiError {
  return new CtiError('notConnected', `${where}: request abandoned (connector stopping)`);
}

/** A request/response channel carrying one TelServices XML request and returning the raw reply. */
export interface TelTransport {
  request(xml: string, opts?: RequestOptions): Promise<string>;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** Map a socket error to the contract's error codes. */
export function socketError(err: NodeJS.ErrnoException, where: string, gotBytes: boolean): CtiError {
  const code = err.code ?? '';
  if (unreachableCodes.has(code)) return new CtiError('unreachable', `${where}: ${code} (${err.message})`);
  if (code === 'ETIMEDOUT') return new CtiError('timeout', `${where}: ${err.message}`);
  if (!gotBytes && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return new CtiError('unreachable', `${where}: connection reset before any reply (${code})`);
  }
  return new CtiError('protocol', `${where}: ${code || err.message}`);
}

export function createTcpTransport(opts: TcpTransportOptions): TelTransport {
  const maxBytes = opts.maxReplyBytes ?? DEFAULT_MAX_BYTES;
  const where = `TelServer ${opts.host}:${opts.port}`;

  return {
    request(xml, reqOpts = {}) {
      const replyTimeoutMs = reqOpts.replyTimeoutMs ?? opts.replyTimeoutMs;
      return new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        let timer: NodeJS.Timeout | null = null;
        const socket = net.createConnection({ host: opts.host, port: opts.port });
        socket.setNoDelay(true);

        const finish = (err: CtiError | null, reply?: string) => {
          if (settled) return;
          settled = true;
          if (timer) clearTimeout(timer);
          socket.destroy();
          if (err) reject(err);
          else resolve(reply ?? '');
        };
        const arm = (ms: number, what: string) => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => finish(new CtiError('timeout', `${where}: ${what} within ${ms} ms`)), ms);
        };

        /** The reply so far as text, cut at the end-of-PDU sequence or the root's close. */
        const completeReply = (atEof: boolean): string | null => {
          const text = Buffer.concat(chunks, size).toString('utf8');
          if (opts.endOfPdu) {
            const at = text.indexOf(opts.endOfPdu);
            if (at >= 0) return text.slice(0, at);
          }
          const rootEnd = findRootEnd(text);
          if (rootEnd > 0) return text.slice(0, rootEnd);
          return atEof ? text : null;
        };

        if (reqOpts.signal?.aborted) return finish(abortedError(where));
        reqOpts.signal?.addEventListener('abort', () => finish(abortedError(where)), { once: true });
        arm(opts.connectTimeoutMs, 'no connection');
        socket.once('connect', () => {
          arm(replyTimeoutMs, 'no reply');
          socket.write(opts.endOfPdu ? xml + opts.endOfPdu : xml);
          if (opts.halfClose) socket.end();
        });
        socket.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish(new CtiError('protocol', `${where}: reply larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
          const reply = completeReply(false);
          if (reply !== null) finish(null, reply);
        });
        socket.once('end', () => {
          const reply = completeReply(true) ?? '';
          if (reply.replace(/[\s\0]+/g, '') === '') {
            finish(new CtiError('protocol', `${where}: empty reply (the server closed without answering)`));
          } else {
            finish(null, reply);
          }
        });
        socket.once('error', (err: NodeJS.ErrnoException) => {
          const partial = size > 0 ? ` after "${excerpt(Buffer.concat(chunks, size).toString('utf8'))}"` : '';
          const e = socketError(err, where, size > 0);
          finish(new CtiError(e.code, e.message + partial));
        });
        socket.once('close', () => finish(new CtiError('protocol', `${where}: connection closed without a reply`)));
      });
    },
  };
}
