// TelServices over HTTP: POST the request XML to http://host:port/ and read the TelServiceReturn
// body. The manual documents HTTP only in outline (L37, L545); POST with the XML as the body is the
// digest's reading [INF], and what TelServer's web clients do. No end-of-PDU sequence on HTTP.
import http from 'node:http';
import { CtiError } from '../../../shared/commands.js';
import { abortedError, socketError, type RequestOptions, type TelTransport } from './tcp-transport.js';
import { DEFAULT_MAX_BYTES, excerpt } from './xml-tree.js';

export interface HttpTransportOptions {
  host: string;
  port: number;
  /** Connect plus reply, for ordinary requests. */
  replyTimeoutMs: number;
  maxReplyBytes?: number;
}

/** Extra seconds allowed beyond a long-poll's own timeout before we give up on the server. */
export const LONG_POLL_GRACE_MS = 5000;

export function createHttpTransport(opts: HttpTransportOptions): TelTransport {
  const maxBytes = opts.maxReplyBytes ?? DEFAULT_MAX_BYTES;
  const where = `TelServer http://${opts.host}:${opts.port}/`;

  return {
    request(xml: string, reqOpts: RequestOptions = {}) {
      const timeoutMs = reqOpts.replyTimeoutMs ?? opts.replyTimeoutMs;
      const body = Buffer.from(xml, 'utf8');
      return new Promise<string>((resolve, reject) => {
        let settled = false;
        const finish = (err: CtiError | null, text?: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.destroy();
          if (err) reject(err);
          else resolve(text ?? '');
        };
        const req = http.request({
          host: opts.host,
          port: opts.port,
          method: 'POST',
          path: '/',
          agent: false, // TelServer closes after each reply; no pooling
          headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': body.length, Connection: 'close' },
        });
        const timer = setTimeout(() => finish(new CtiError('timeout', `${where}: no reply within ${timeoutMs} ms`)), timeoutMs);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) finish(new CtiError('protocol', `${where}: reply larger than ${maxBytes} bytes`));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks, size).toString('utf8');
            if (res.statusCode !== 200) {
              finish(new CtiError('protocol', `${where}: HTTP ${res.statusCode ?? '?'} "${excerpt(text)}"`));
            } else if (text.trim() === '') {
              finish(new CtiError('protocol', `${where}: empty reply body`));
            } else {
              finish(null, text);
            }
          });
          res.on('error', (err: NodeJS.ErrnoException) => finish(socketError(err, where, true)));
        });
        req.on('error', (err: NodeJS.ErrnoException) => finish(socketError(err, where, false)));
        if (reqOpts.signal?.aborted) finish(abortedError(where));
        reqOpts.signal?.addEventListener('abort', () => finish(abortedError(where)), { once: true });
        req.end(body);
      });
    },
  };
}
