// A private RabbitMQ node with its STOMP plugin: the real broker behind the InstantVoice lab and tests.
// Everything lives in one temporary folder (node name, mnesia, logs, Erlang cookie via HOME), every
// listener is on 127.0.0.1, and the node gets its own epmd on a private port so it can never meet
// another RabbitMQ on the machine. stop() (and any failure while starting) ends the node and the epmd
// it started — by their process ids — and removes the folder.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const rabbitBin = '/usr/lib/rabbitmq/bin';
const serverBin = path.join(rabbitBin, 'rabbitmq-server');
const ctlBin = path.join(rabbitBin, 'rabbitmqctl');

export const host = '127.0.0.1';

export interface PrivateBrokerOptions {
  /** STOMP listener port; 0 (the default) picks a free one. */
  stompPort?: number;
  /** The user to create (the manual's broker login is instantvoice / sT0MpM3). */
  user: string;
  password: string;
  /** Virtual host for the user (created when not "/"); STOMP clients pick it with the `host` header. */
  vhost?: string;
  /** How long to wait for the STOMP port to accept connections. */
  startTimeoutMs?: number;
}

export interface PrivateBroker {
  host: typeof host;
  stompPort: number;
  amqpPort: number;
  nodeName: string;
  user: string;
  password: string;
  vhost: string;
  /** Milliseconds from spawning the server to the STOMP port accepting (user creation excluded). */
  startMs: number;
  /** Stops the node, ends its epmd, removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Pids of this node's processes still alive (beam + its epmd): empty after stop(). */
  livePids(): number[];
  /** Runs `rabbitmqctl -n <node> ...args` against this node (each call is a short Erlang VM: 1–2 s). */
  ctl(...args: string[]): Promise<string>;
  /** `rabbitmqctl close_all_connections`: every client connection (STOMP included) is closed. Returns how many. */
  closeConnections(): Promise<number>;
}

/** Whether Debian's rabbitmq-server is installed (tests skip without it). */
export function brokerAvailable(): boolean {
  return existsSync(serverBin) && existsSync(ctlBin);
}

/** Free loopback ports, all distinct: held open together, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const s = net.createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, host, () => resolve());
      });
    }
    return servers.map(s => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(s => new Promise<void>(resolve => s.close(() => resolve()))));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => { sock.destroy(); resolve(ok); };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.setTimeout(1000, () => done(false));
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Whether a process runs; a zombie (ended, not yet reaped by its parent or init) counts as ended. */
export function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return false; }
}

/** epmd processes whose environment carries our private ERL_EPMD_PORT: only the one this node started. */
function epmdPids(epmdPort: number): number[] {
  const marker = `ERL_EPMD_PORT=${epmdPort}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'epmd' || !processAlive(Number(entry))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch { /* the process ended, or is not ours to read */ }
  }
  return pids;
}

/** Live processes whose command line names the node (beam.smp runs with `-sname NODE`). */
export function nodePids(nodeName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some(arg => arg.includes(nodeName)) && processAlive(Number(entry))) pids.push(Number(entry));
    } catch { /* the process ended, or is not ours to read */ }
  }
  return pids;
}

function tail(file: string, lines = 30): string {
  try { return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/** Starts a private RabbitMQ with STOMP on loopback and creates the given user with full permissions. */
export async function startPrivateBroker(options: PrivateBrokerOptions): Promise<PrivateBroker> {
  if (!brokerAvailable()) throw new Error(`rabbitmq-server is not installed (${serverBin}); apt-get install rabbitmq-server`);
  const vhost = options.vhost ?? '/';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iv-rabbit-'));
  const nodeName = `iv-${process.pid}-${path.basename(dir).slice(-6)}@localhost`;
  const [amqpPort, distPort, epmdPort, pickedStomp] = await freePorts(4) as [number, number, number, number];
  const stompPort = options.stompPort || pickedStomp;
  const logBase = path.join(dir, 'log');
  const logFile = path.join(logBase, `${nodeName}.log`);

  const configFile = path.join(dir, 'rabbitmq.conf');
  writeFileSync(configFile, [
    `listeners.tcp.1 = ${host}:${amqpPort}`,
    `stomp.listeners.tcp.1 = ${host}:${stompPort}`,
    // Only guest is loopback-restricted by default; every listener is loopback anyway.
    'loopback_users = none',
    // A lab broker in a small /tmp must not raise the disk alarm and block publishers.
    'disk_free_limit.absolute = 1MB',
    'log.console = false',
    'log.file.level = info',
    '',
  ].join('\n'));
  const pluginsFile = path.join(dir, 'enabled_plugins');
  writeFileSync(pluginsFile, '[rabbitmq_stomp].\n'); // STOMP only: no management plugin

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir, // the Erlang cookie is written here; rabbitmqctl reads it from the same HOME
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: logBase,
    RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
    RABBITMQ_CONFIG_FILE: configFile,
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'), // absent: ignore /etc/rabbitmq's
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: host,
  };

  const ctl = async (...args: string[]): Promise<string> => {
    // Each rabbitmqctl is a short-lived Erlang node too: give it a private distribution port.
    const [ctlPort] = await freePorts(1) as [number];
    const ctlEnv = { ...env, RABBITMQ_CTL_DIST_PORT_MIN: String(ctlPort), RABBITMQ_CTL_DIST_PORT_MAX: String(ctlPort) };
    return new Promise((resolve, reject) => {
      execFile(ctlBin, ['-n', nodeName, ...args], { env: ctlEnv, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`rabbitmqctl ${args[0]} failed: ${String(stderr || stdout || err.message).trim()}`));
        else resolve(stdout);
      });
    });
  };

  const t0 = Date.now();
  // Own process group, so a failed start can end the whole group it created.
  const child: ChildProcess = spawn(serverBin, [], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (b: Buffer) => { output = (output + b.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedP = new Promise<void>(resolve => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', err => { output += `\nspawn failed: ${err.message}`; });

  const livePids = () => [...new Set([
    ...(child.pid && !exited && processAlive(child.pid) ? [child.pid] : []),
    ...nodePids(nodeName),
    ...epmdPids(epmdPort),
  ])];

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      // The clean way; it fails fast when the node never came up, and then signals do the job.
      const asked = await ctl('stop').then(() => true, () => false);
      if (asked) await Promise.race([exitedP, sleep(15_000)]);
    }
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (exited || !child.pid) break;
      try { process.kill(-child.pid, signal); } catch { /* already gone */ }
      await Promise.race([exitedP, sleep(5_000)]);
    }
    for (const pid of epmdPids(epmdPort)) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    const deadline = Date.now() + 5_000;
    while (epmdPids(epmdPort).length > 0 && Date.now() < deadline) await sleep(50);
    for (const pid of epmdPids(epmdPort)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const deadline = t0 + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (exited) throw new Error(`rabbitmq-server exited during start-up.\n${output.trim()}\n--- log ---\n${tail(logFile)}`);
      if (await canConnect(stompPort)) break;
      if (Date.now() > deadline) {
        throw new Error(`rabbitmq STOMP port ${stompPort} not accepting after ${Date.now() - t0} ms.\n--- log ---\n${tail(logFile)}\n--- output ---\n${output.trim()}`);
      }
      await sleep(100);
    }
    const startMs = Date.now() - t0;
    if (vhost !== '/') await ctl('add_vhost', vhost);
    await ctl('add_user', options.user, options.password);
    await ctl('set_permissions', '-p', vhost, options.user, '.*', '.*', '.*');
    const closeConnections = async (): Promise<number> => {
      // STOMP connections are closed by close_all_connections (close_connection on their pid does not end the socket).
      const out = await ctl('close_all_connections', 'closed by the lab (fault injection)');
      return Number(/Closed (\d+) connection/.exec(out)?.[1] ?? 0);
    };
    return { host, stompPort, amqpPort, nodeName, user: options.user, password: options.password, vhost, startMs, stop, livePids, ctl, closeConnections };
  } catch (err) {
    await stop();
    throw err;
  }
}
