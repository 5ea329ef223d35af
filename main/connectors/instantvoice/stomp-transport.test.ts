// The TCP adapter under stompjs, against plain loopback sockets (no broker): bytes both ways as
// stompjs expects them, WebSocket-like states and events, and a bounded reconnect loop.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StompSocketState } from '@stomp/stompjs';
import { StompTransport, TcpStompSocket } from './stomp-transport.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => new Promise<void>(resolve => s.close(() => resolve()))));
});

function listen(onConnection: (sock: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

async function closedPort(): Promise<number> {
  const port = await listen(() => undefined);
  await new Promise<void>(resolve => servers.pop()!.close(() => resolve()));
  return port;
}

describe('TcpStompSocket', () => {
  it('opens, sends strings and bytes, delivers ArrayBuffers, and reports the close', async () => {
    const received: Buffer[] = [];
    let peer: net.Socket | undefined;
    const port = await listen(sock => { peer = sock; sock.on('data', b => received.push(b)); });
    const ws = new TcpStompSocket('127.0.0.1', port);
    expect(ws.readyState).toBe(StompSocketState.CONNECTING);
    expect(ws.url).toBe(`tcp://127.0.0.1:${port}`);
    await new Promise(resolve => { ws.onopen = resolve; });
    expect(ws.readyState).toBe(StompSocketState.OPEN);

    ws.send('CONNECT\n\n\0');
    ws.send(new TextEncoder().encode('é\n'));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(Buffer.concat(received).toString('utf8')).toBe('CONNECT\n\n\0é\n');

    const data = new Promise<unknown>(resolve => { ws.onmessage = ev => resolve(ev.data); });
    peer!.write(Buffer.from('CONNECTED\n\n\0'));
    const got = await data;
    expect(got).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(got as ArrayBuffer)).toBe('CONNECTED\n\n\0');

    const closed = new Promise<unknown>(resolve => { ws.onclose = resolve; });
    peer!.end();
    ws.close();
    expect(await closed).toMatchObject({ code: 1000, wasClean: true });
    expect(ws.readyState).toBe(StompSocketState.CLOSED);
  });

  it('drops the connection when a frame grows past the cap, whatever the chunks; frames under it pass', async () => {
    let peer: net.Socket | undefined;
    const port = await listen(sock => { peer = sock; });
    const ws = new TcpStompSocket('127.0.0.1', port, 1000);
    await new Promise(resolve => { ws.onopen = resolve; });
    const got: number[] = [];
    let seen: () => void = () => undefined;
    ws.onmessage = ev => { got.push(ev.data.byteLength); seen(); };
    const delivered = (n: number) => new Promise<void>(resolve => { seen = () => { if (got.reduce((a, b) => a + b, 0) >= n) resolve(); }; seen(); });
    const closed = new Promise<unknown>(resolve => { ws.onclose = resolve; });
    // 900 bytes then the NUL: one frame under the cap; then 600 + 600 bytes of one frame without its end.
    peer!.write(Buffer.concat([Buffer.alloc(900, 0x41), Buffer.from([0])]));
    await delivered(901);
    peer!.write(Buffer.alloc(600, 0x42));
    await delivered(1501);
    peer!.write(Buffer.alloc(600, 0x43));
    expect(await closed).toMatchObject({ code: 1006, wasClean: false, reason: expect.stringMatching(/over 1000 bytes/) });
    expect(got.reduce((a, b) => a + b, 0)).toBe(1501);
  });

  it('reports a refused connection as an error then an abnormal close', async () => {
    const ws = new TcpStompSocket('127.0.0.1', await closedPort());
    const errors: unknown[] = [];
    ws.onerror = e => errors.push(e);
    const closed = await new Promise<unknown>(resolve => { ws.onclose = resolve; });
    expect(closed).toMatchObject({ code: 1006, wasClean: false, reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(errors).toHaveLength(1);
  });
});

describe('StompTransport', () => {
  it('gives up after maxAttempts consecutive failures instead of retrying forever', async () => {
    const port = await closedPort();
    let fatal: Error | undefined;
    const t = new StompTransport({ host: '127.0.0.1', port, login: 'x', passcode: 'y', reconnectDelayMs: 10, maxAttempts: 3, onFatal: e => { fatal = e; } });
    await expect(t.connect()).rejects.toThrow(/unreachable after 4 attempts/);
    expect(fatal).toBeInstanceOf(Error);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(t.attempts).toBe(4);
    expect(t.client.active).toBe(false);
    await expect(t.connect()).rejects.toThrow(/unreachable/);
  });

  it('keeps subscriptions to replay after a reconnect even while disconnected', () => {
    const t = new StompTransport({ host: '127.0.0.1', port: 1, login: 'x', passcode: 'y' });
    const off = t.subscribe('/topic/iv.agents.default_1001', () => undefined);
    expect(t.connected).toBe(false);
    off();
    expect(() => t.publish('/queue/config', '[]')).toThrow();
  });
});
