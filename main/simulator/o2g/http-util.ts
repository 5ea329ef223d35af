// Small HTTP helpers of the O2G front-end: bodies, JSON answers, cookies, query flags.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { O2gError, badParameter } from './errors.js';

export const jsonType = 'application/json;charset=UTF-8';

export function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > cap) over = true;
      else chunks.push(c);
    });
    req.on('end', () => (over ? reject(new O2gError(413, 'BAD_PARAMETER', `request body over ${cap} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** The body as JSON; empty → undefined; malformed → 400 BAD_PARAMETER (1006). */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badParameter(`Malformed JSON body: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': jsonType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A bodiless answer (204, or 201 with an empty body). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, status === 204 ? headers : { ...headers, 'Content-Type': jsonType, 'Content-Length': 0 });
  res.end();
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** Boolean query flags: a bare name (`?onlyACD`) is true, as is any value but "false" (digest §1.4, §6 #35). */
export function queryFlag(query: URLSearchParams, name: string): boolean | undefined {
  if (!query.has(name)) return undefined;
  const v = (query.get(name) ?? '').trim().toLowerCase();
  return v !== 'false' && v !== '0';
}

/** Credentials of an `Authorization: Basic` header. */
export function basicCredentials(header: string | undefined): { login: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
