// One desktop per user and data folder, for the web host (Electron has requestSingleInstanceLock).
// The first instance listens on a local socket (a named pipe on Windows); a second one hands its
// command line (a tel: link, say) to the first and exits, so two desktops never fight over the
// same agent session.
import { createHash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type InstanceLock =
  | { primary: true; release(): Promise<void> }
  | { primary: false; /** What the first instance answered (its URL). */ reply: string };

export type SecondInstanceHandler = (argv: string[]) => string;

export function lockAddress(dataDir: string): string {
  const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return process.platform === 'win32' ? `\\\\.\\pipe\\agent-desktop-${id}` : join(tmpdir(), `agent-desktop-${id}.sock`);
}

function listen(server: Server, address: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(address, () => {
      server.off('error', fail);
      done();
    });
  });
}

/** Hand argv to a running first instance; resolves its reply, or null when nobody listens. */
function handOver(address: string, argv: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((done) => {
    const sock: Socket = createConnection(address);
    let reply = '';
    const timer = setTimeout(() => {
      sock.destroy();
      done(null);
    }, timeoutMs);
    sock.on('connect', () => sock.write(`${JSON.stringify({ argv })}\n`));
    sock.on('data', (d) => (reply += d.toString()));
    sock.on('end', () => {
      clearTimeout(timer);
      done(reply.trim());
    });
    sock.on('error', () => {
      clearTimeout(timer);
      done(null);
    });
  });
}

export async function acquireInstanceLock(dataDir: string, argv: string[], onSecondInstance: SecondInstanceHandler): Promise<InstanceLock> {
  const address = lockAddress(dataDir);
  const server = createServer((sock) => {
    let buf = '';
    sock.setTimeout(2000, () => sock.destroy());
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.length > 65536) return sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let other: string[] = [];
      try {
        const msg = JSON.parse(buf.slice(0, nl)) as { argv?: unknown };
        if (Array.isArray(msg.argv)) other = msg.argv.filter((a): a is string => typeof a === 'string').slice(0, 32);
      } catch {
        // a malformed hand-over still gets the answer
      }
      sock.end(`${onSecondInstance(other)}\n`);
    });
    sock.on('error', () => {});
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await listen(server, address);
      return {
        primary: true,
        release: () => new Promise<void>((done) => server.close(() => done())),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      const reply = await handOver(address, argv, 2000);
      if (reply !== null) return { primary: false, reply };
      // Nobody answered: a socket file left by a crashed instance. Remove it and try again.
      if (process.platform !== 'win32') {
        try {
          unlinkSync(address);
        } catch {
          // already gone
        }
      }
    }
  }
  throw new Error(`could not take the single-instance lock at ${address}`);
}
