// Test-only: a TCP relay in front of a server, for connection faults: `cut()` drops every
// connection (a reset), `frozen` keeps the connections open but forwards nothing either way (a
// half-open link: no FIN, no data).
import net from 'node:net';

/** A TCP relay the test can cut (both sides closed) or freeze (bytes dropped, sockets kept: half-open). */
export class CuttableProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  frozen = false;
  port = 0;
  connections = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      this.connections++;
      const upstream = net.connect(target);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('data', (b) => { if (!this.frozen) upstream.write(b); });
      upstream.on('data', (b) => { if (!this.frozen) client.write(b); });
      const end = () => { client.destroy(); upstream.destroy(); this.pairs.delete(pair); };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', end);
      upstream.on('error', end);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  cut(): void {
    for (const [a, b] of this.pairs) { a.destroy(); b.destroy(); }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
