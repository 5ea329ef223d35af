// Test helper: a desktop-like STOMP client of the lab's broker (stompjs over the connector's TCP transport),
// with per-destination inboxes and bounded waits. Requests are sent to /queue/config as raw bodies, so tests
// control the exact bytes (the guide's examples as written).
import type { IMessage } from '@stomp/stompjs';
import { StompTransport } from '../../connectors/instantvoice/stomp-transport.js';
import type { IvBrokerInfo } from './front-end.js';

export interface Received {
  destination: string;
  /** The MESSAGE's own destination header (the concrete topic, also for wildcard subscriptions). */
  messageDestination: string;
  body: string;
  json: unknown;
}

export class IvTestClient {
  readonly transport: StompTransport;
  readonly received: Received[] = [];
  private waiters = new Set<() => void>();
  private seq = 0;

  constructor(broker: Pick<IvBrokerInfo, 'host' | 'port' | 'user' | 'password' | 'vhost'>, over: { passcode?: string; maxAttempts?: number } = {}) {
    this.transport = new StompTransport({
      host: broker.host,
      port: broker.port,
      login: broker.user,
      passcode: over.passcode ?? broker.password,
      vhost: broker.vhost,
      heartbeatMs: 0,
      reconnectDelayMs: 200,
      maxAttempts: over.maxAttempts ?? 20,
    });
  }

  async connect(...destinations: string[]): Promise<this> {
    await this.transport.connect();
    for (const d of destinations) this.subscribe(d);
    await this.transport.subscribed();
    return this;
  }

  subscribe(destination: string): void {
    this.transport.subscribe(destination, (m: IMessage) => {
      let json: unknown;
      try {
        json = JSON.parse(m.body);
      } catch {
        json = undefined;
      }
      this.received.push({ destination, messageDestination: m.headers.destination ?? '', body: m.body, json });
      for (const w of [...this.waiters]) w();
    });
  }

  async subscribed(): Promise<void> {
    await this.transport.subscribed();
  }

  send(body: string): void {
    this.transport.publish('/queue/config', body);
  }

  /** Wait for the first message from index `from` matching pred (bounded). */
  next(pred: (r: Received) => boolean, from = 0, timeoutMs = 5000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.received.slice(from).find(pred);
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching message in ${timeoutMs} ms; got:\n${this.received.slice(from).map((r) => `${r.messageDestination} ${r.body.slice(0, 200)}`).join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Send [method, key, args, id] and await the reply carrying that id on /topic/<key> (must be subscribed). */
  async call(method: string, key: string, args: Record<string, unknown>, id = `r${++this.seq}`): Promise<unknown[]> {
    const from = this.received.length;
    this.send(JSON.stringify([method, key, args, id]));
    const r = await this.next((x) => x.destination === `/topic/${key}` && Array.isArray(x.json) && x.json[x.json.length - 1] === id && x.json.length === 3, from);
    return r.json as unknown[];
  }

  /** Next event on /topic/iv.agents.<agent> (via any subscription) matching type. */
  event(agent: string, type: string, from = 0, timeoutMs = 5000): Promise<Record<string, string>> {
    return this.next((x) => x.messageDestination === `/topic/iv.agents.${agent}` && (x.json as { type?: string } | undefined)?.type === type, from, timeoutMs).then((r) => r.json as Record<string, string>);
  }

  /** Events received so far for an agent (from index `from`). */
  events(agent: string, from = 0): Array<Record<string, string>> {
    return this.received.slice(from).filter((x) => x.messageDestination === `/topic/iv.agents.${agent}` && x.json && typeof x.json === 'object' && !Array.isArray(x.json)).map((x) => x.json as Record<string, string>);
  }

  get mark(): number {
    return this.received.length;
  }

  async close(): Promise<void> {
    await this.transport.close().catch(() => undefined);
  }
}
