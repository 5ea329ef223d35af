// One HTTP request/reply exchange as the connectors' clients make it (CTIPS SOAP, TWS, O2G REST):
// a timeout, an abort signal, a cap on the reply's bytes, socket failures as typed errors, and a
// promise settled once. Building the request, tracing and the in-flight registry stay with each client.
import type http from 'node:http';
import { CtiError } from '../../shared/commands.js';
import { socketError } from './socket-error.js';

export interface ExchangeReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
  /** The bytes as UTF-8. */
  text: string;
}

/** Where a client keeps its requests in flight, so that close() can end them. */
export interface InFlightRequests {
  /** fail(err) settles the request at once. */
  add(req: http.ClientRequest, fail: (err: CtiError) => void): void;
  delete(req: http.ClientRequest): void;
}

export interface ExchangeOptions {
  /** Prefix of every error message, e.g. "TWS POST http://host/path". */
  where: string;
  timeoutMs: number;
  maxBytes: number;
  body?: string;
  signal?: AbortSignal;
  inFlight: InFlightRequests;
  /** The request failed on its socket; socketError by default. */
  requestError?: (err: Error) => CtiError;
  /** The reply's head has come, before its body is read; fail(err) refuses it. */
  onResponse?: (res: http.IncomingMessage, fail: (err: CtiError) => void) => void;
  /** The whole reply has come, just before the promise resolves with it (for the trace). */
  onReply?: (reply: ExchangeReply) => void;
}

/**
 * Make the request (inside the promise, so that a throw rejects it), send o.body and read the reply.
 * Its own failures reject with a CtiError.
 */
export function exchange(makeRequest: () => http.ClientRequest, o: ExchangeOptions): Promise<ExchangeReply> {
  const { where, timeoutMs, maxBytes, signal } = o;
  return new Promise<ExchangeReply>((resolve, reject) => {
    const req = makeRequest();
    let settled = false;
    const finish = (err: CtiError | null, reply?: ExchangeReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      o.inFlight.delete(req);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(reply as ExchangeReply);
    };
    const fail = (err: CtiError) => finish(err);
    o.inFlight.add(req, fail);
    const timer = setTimeout(() => finish(new CtiError('timeout', `${where}: no reply within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => finish(new CtiError('notConnected', `${where}: cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish(o.requestError ? o.requestError(err) : socketError(err, where)));
    req.on('response', (res) => {
      o.onResponse?.(res, fail);
      if (settled) return;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) finish(new CtiError('protocol', `${where}: reply larger than ${maxBytes} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        // A reply that ends after the exchange was settled (cap, timeout, close) is not traced.
        if (settled) return;
        const bytes = Buffer.concat(chunks);
        const reply: ExchangeReply = { status: res.statusCode ?? 0, headers: res.headers, bytes, text: bytes.toString('utf8') };
        o.onReply?.(reply);
        finish(null, reply);
      });
      res.on('error', (err) => finish(socketError(err, where)));
    });
    if (signal?.aborted) onAbort();
    req.end(o.body);
  });
}
